using MLwatch.Cli.Producing;

namespace MLwatch.Cli.Tests.Support;

/// <summary>A source over images held in memory, with optional class names for index lookups.</summary>
internal sealed class InMemorySource(IReadOnlyList<(RasterImage Image, string? Label)> images, IReadOnlyList<string>? classNames = null) : IImageSource
{
    public int Count => images.Count;

    public IReadOnlyList<string>? ClassNames => classNames;

    public SourceImage Get(int index)
    {
        var (image, label) = images[index % images.Count];
        return new SourceImage($"mem-{index}", image.EncodePng(), label);
    }

    /// <summary>Images of 2x2 gray pixels whose value is their position, labelled in turn by <paramref name="labels"/>.</summary>
    public static InMemorySource Labelled(int count, IReadOnlyList<string> labels, IReadOnlyList<string>? classNames = null) =>
        new([.. Enumerable.Range(0, count).Select(i => (RasterImage.Gray(2, 2, [(byte)i, (byte)i, (byte)i, (byte)i]), (string?)labels[i % labels.Count]))], classNames);
}
