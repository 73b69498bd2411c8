using System.Globalization;

namespace MLwatch.Cli.Producing.Shifts;

/// <summary>One class of a <see cref="PriorShift"/>: a label name or class index, and its relative weight.</summary>
public sealed record PriorClass(string Class, double Weight = 1);

/// <summary>
/// <c>prior:&lt;classes&gt;</c>: changes the class mix. Only images whose true label is one of <see cref="Classes"/> are
/// produced, in proportion to the weights (relative; <c>prior:Bag=2,Coat</c> is two Bags per Coat), each class cycling
/// deterministically through its images in source order. The true-label header is kept.
/// </summary>
public sealed record PriorShift : ImageShift
{
    public PriorShift(IEnumerable<PriorClass> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        Classes = [.. classes];
        if (Classes.Count == 0)
        {
            throw new ArgumentException("A prior shift needs at least one class.", nameof(classes));
        }

        foreach (var entry in Classes)
        {
            if (string.IsNullOrWhiteSpace(entry.Class))
            {
                throw new ArgumentException("A prior class must not be empty.", nameof(classes));
            }

            if (!double.IsFinite(entry.Weight) || entry.Weight <= 0)
            {
                throw new ArgumentException($"The weight of prior class '{entry.Class}' must be a finite number > 0.", nameof(classes));
            }
        }

        var duplicate = Classes.GroupBy(c => c.Class, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Prior class '{duplicate.Key}' is listed more than once.", nameof(classes));
        }
    }

    /// <summary>Convenience: equally weighted classes.</summary>
    public PriorShift(params string[] classes)
        : this(classes.Select(c => new PriorClass(c)))
    {
    }

    /// <summary>The classes as given (names or indices), with relative weights.</summary>
    public IReadOnlyList<PriorClass> Classes { get; }

    public bool Equals(PriorShift? other) => other is not null && Classes.SequenceEqual(other.Classes);

    public override int GetHashCode() => Classes.Aggregate(0, (hash, c) => HashCode.Combine(hash, c));

    public override string ToString() =>
        "prior:" + string.Join(',', Classes.Select(c => c.Weight == 1 ? c.Class : string.Create(CultureInfo.InvariantCulture, $"{c.Class}={c.Weight}")));

    /// <summary>Resolves the classes against <paramref name="source"/>'s labels; throws <see cref="ArgumentException"/> naming a class that matches none.</summary>
    internal PriorSelection Resolve(IImageSource source) => PriorSelection.Create(this, source);
}
