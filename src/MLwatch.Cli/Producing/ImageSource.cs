namespace MLwatch.Cli.Producing;

/// <summary>Images to produce, each with an id and, when known, its true label.</summary>
public interface IImageSource
{
    /// <summary>How many distinct images the source has; producing more cycles through them.</summary>
    int Count { get; }

    /// <summary>The <paramref name="index"/>-th image (modulo <see cref="Count"/>).</summary>
    SourceImage Get(int index);
}

/// <summary>One image to produce.</summary>
public sealed record SourceImage(string Id, byte[] Bytes, string? Label);
