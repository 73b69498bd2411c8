namespace MLwatch.Cli.Producing;

/// <summary>Images to produce, each with an id and, when known, its true label.</summary>
public interface IImageSource
{
    /// <summary>How many distinct images the source has; producing more cycles through them.</summary>
    int Count { get; }

    /// <summary>
    /// The class names in class-index order, when the source has a fixed vocabulary (Fashion-MNIST); null otherwise.
    /// Lets a prior shift accept class indices.
    /// </summary>
    IReadOnlyList<string>? ClassNames => null;

    /// <summary>The <paramref name="index"/>-th image (modulo <see cref="Count"/>).</summary>
    SourceImage Get(int index);

    /// <summary>The true label of the <paramref name="index"/>-th image, without loading it when the source can.</summary>
    string? GetLabel(int index) => Get(index).Label;

    /// <summary>The <paramref name="index"/>-th image as pixels; by default <see cref="Get"/> decoded.</summary>
    SourceRaster GetRaster(int index)
    {
        var image = Get(index);
        return new SourceRaster(image.Id, RasterImage.Decode(image.Bytes, image.Id), image.Label);
    }
}

/// <summary>One image to produce; <paramref name="FilePath"/> is its absolute path when it is a file (for path records).</summary>
public sealed record SourceImage(string Id, byte[] Bytes, string? Label, string? FilePath = null);

/// <summary>One image to produce, as decoded pixels.</summary>
public sealed record SourceRaster(string Id, RasterImage Image, string? Label);
