namespace MLwatch.Cli.Producing.Shifts;

/// <summary>
/// Wraps a source and applies shifts to it: a <see cref="PriorShift"/> chooses which images are produced, then every
/// <see cref="PixelShift"/> transforms the pixels in the order given. True labels pass through unchanged.
/// Deterministic: the same source, shifts and <see cref="Seed"/> give the same images at the same positions,
/// in any access order.
/// </summary>
/// <example><c>new ShiftedImageSource(ImageSources.Open("fashion-mnist"), ImageShiftParser.Parse("rotate:30+noise:0.1"), seed: 7)</c></example>
public sealed class ShiftedImageSource : IImageSource
{
    private readonly IImageSource _inner;
    private readonly PriorSelection? _selection;
    private readonly PixelShift[] _pixelShifts;

    /// <summary>
    /// Creates the shifted view of <paramref name="inner"/>. Throws <see cref="ArgumentException"/> when there is more
    /// than one prior shift or a prior class matches no label of the source.
    /// </summary>
    public ShiftedImageSource(IImageSource inner, IEnumerable<ImageShift> shifts, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(shifts);
        _inner = inner;
        Shifts = [.. shifts];
        Seed = seed;
        var priors = Shifts.OfType<PriorShift>().ToArray();
        if (priors.Length > 1)
        {
            throw new ArgumentException($"At most one prior shift can apply to a stream; got {string.Join(" and ", priors.AsEnumerable())}.", nameof(shifts));
        }

        _selection = priors.Length == 1 ? priors[0].Resolve(inner) : null;
        _pixelShifts = [.. Shifts.OfType<PixelShift>()];
        Description = ImageShiftParser.Format(Shifts);
    }

    /// <summary>The shifts, as given.</summary>
    public IReadOnlyList<ImageShift> Shifts { get; }

    /// <summary>Seed of the per-image random numbers (noise).</summary>
    public int Seed { get; }

    /// <summary>The shifts as <c>--shift</c> text, e.g. <c>rotate:30+noise:0.1</c>; <c>none</c> when there are none.</summary>
    public string Description { get; }

    /// <summary>Distinct images: those of the prior's classes, or all of the inner source's.</summary>
    public int Count => _selection?.DistinctCount ?? _inner.Count;

    public IReadOnlyList<string>? ClassNames => _inner.ClassNames;

    /// <summary>The inner source's index of the image produced at <paramref name="index"/>.</summary>
    public int SourceIndex(int index) => _selection?.SourceIndexAt(index) ?? index;

    public string? GetLabel(int index) => _inner.GetLabel(SourceIndex(index));

    public SourceImage Get(int index)
    {
        if (_pixelShifts.Length == 0)
        {
            var image = _inner.Get(SourceIndex(index));
            return image with { Id = Id(image.Id, index) };
        }

        var raster = GetRaster(index);
        return new SourceImage(raster.Id, raster.Image.EncodePng(), raster.Label);
    }

    public SourceRaster GetRaster(int index)
    {
        var raster = _inner.GetRaster(SourceIndex(index));
        var image = raster.Image;
        if (_pixelShifts.Length > 0)
        {
            var random = new Random(ImageSeed(Seed, index));
            foreach (var shift in _pixelShifts)
            {
                image = shift.Apply(image, random);
            }
        }

        return new SourceRaster(Id(raster.Id, index), image, raster.Label);
    }

    private string Id(string innerId, int index) => $"{innerId}~{Description}~{index}";

    /// <summary>A well-mixed per-image seed (SplitMix64 finalizer), stable across processes and platforms.</summary>
    private static int ImageSeed(int seed, int index)
    {
        var z = ((ulong)(uint)seed << 32) | (uint)index;
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return (int)((z ^ (z >> 31)) >> 33);
    }
}
