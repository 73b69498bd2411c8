namespace MLwatch.Cli.Producing.Shifts;

/// <summary>
/// A <see cref="PriorShift"/> resolved against a source: which source image is produced at each position.
/// A fixed schedule of <see cref="Period"/> slots gives each class its share (largest remainder) and interleaves the
/// classes evenly, so every prefix of the stream is within one image per class of the requested proportions.
/// </summary>
internal sealed class PriorSelection
{
    /// <summary>Schedule length: 25,200 = 10 * lcm(1..10), so equal shares of up to 10 classes and two-decimal weights are exact.</summary>
    public const int Period = 25_200;

    private readonly int[][] _indicesByClass;
    private readonly int[] _perPeriod;
    private readonly int[] _slotClass;
    private readonly int[] _slotOccurrence;

    private PriorSelection(string[] labels, int[][] indicesByClass, int[] perPeriod)
    {
        Labels = labels;
        _indicesByClass = indicesByClass;
        _perPeriod = perPeriod;
        _slotClass = new int[Period];
        _slotOccurrence = new int[Period];
        var chosen = new int[perPeriod.Length];
        for (var slot = 0; slot < Period; slot++)
        {
            var best = -1;
            var bestLag = double.NegativeInfinity;
            for (var c = 0; c < perPeriod.Length; c++)
            {
                var lag = ((slot + 1) * (double)perPeriod[c] / Period) - chosen[c];
                if (chosen[c] < perPeriod[c] && lag > bestLag)
                {
                    (best, bestLag) = (c, lag);
                }
            }

            _slotClass[slot] = best;
            _slotOccurrence[slot] = chosen[best]++;
        }
    }

    /// <summary>The resolved labels, in the order the shift lists them.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>How many distinct source images the selection cycles through.</summary>
    public int DistinctCount => _indicesByClass.Sum(i => i.Length);

    /// <summary>The source index produced at stream position <paramref name="position"/>.</summary>
    public int SourceIndexAt(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var slot = position % Period;
        var c = _slotClass[slot];
        var occurrence = ((long)(position / Period) * _perPeriod[c]) + _slotOccurrence[slot];
        var indices = _indicesByClass[c];
        return indices[(int)(occurrence % indices.Length)];
    }

    public static PriorSelection Create(PriorShift shift, IImageSource source)
    {
        var byLabel = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < source.Count; i++)
        {
            if (source.GetLabel(i) is { } label)
            {
                if (!byLabel.TryGetValue(label, out var indices))
                {
                    byLabel[label] = indices = [];
                }

                indices.Add(i);
            }
        }

        var labels = shift.Classes.Select(c => Resolve(c.Class, byLabel.Keys, source.ClassNames)).ToArray();
        var duplicate = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"prior: class '{duplicate.Key}' is named more than once (by name and by index?).");
        }

        var indicesByClass = new int[labels.Length][];
        for (var c = 0; c < labels.Length; c++)
        {
            indicesByClass[c] = byLabel.TryGetValue(labels[c], out var indices)
                ? [.. indices]
                : throw new ArgumentException($"prior: the source has no images of class '{labels[c]}'.");
        }

        return new PriorSelection(labels, indicesByClass, Apportion(shift.Classes.Select(c => c.Weight).ToArray()));
    }

    /// <summary>Whole slots per class out of <see cref="Period"/>, by largest remainder.</summary>
    internal static int[] Apportion(double[] weights)
    {
        var total = weights.Sum();
        var exact = weights.Select(w => w / total * Period).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e + 1e-9)).ToArray();
        var order = Enumerable.Range(0, weights.Length).OrderByDescending(c => exact[c] - counts[c]).ThenBy(c => c);
        foreach (var c in order.Take(Period - counts.Sum()))
        {
            counts[c]++;
        }

        return counts;
    }

    private static string Resolve(string token, IEnumerable<string> labels, IReadOnlyList<string>? classNames)
    {
        var byName = labels.FirstOrDefault(l => string.Equals(l, token, StringComparison.OrdinalIgnoreCase));
        if (byName is not null)
        {
            return byName;
        }

        if (classNames is not null && int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return index < classNames.Count
                ? classNames[index]
                : throw new ArgumentException($"prior: class index {index} is out of range; the source has classes 0..{classNames.Count - 1}.");
        }

        var known = classNames ?? [.. labels.Order(StringComparer.Ordinal)];
        var indexHint = classNames is null ? string.Empty : $" or an index 0..{classNames.Count - 1}";
        throw new ArgumentException($"prior: '{token}' is not a label of the source. Use one of: {string.Join(", ", known)}{indexHint}.");
    }
}
