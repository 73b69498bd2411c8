namespace MLwatch.Inference.Imaging;

/// <summary>Machine-readable codes carried by <see cref="ImageRejection.Reason"/>.</summary>
public static class ImageRejectionReasons
{
    /// <summary>The payload has zero bytes.</summary>
    public const string Empty = "empty";

    /// <summary>The payload is larger than <see cref="InferenceOptions.MaxImageBytes"/>.</summary>
    public const string TooLarge = "too-large";

    /// <summary>The bytes are not an image format SkiaSharp can decode, or decoding failed.</summary>
    public const string Undecodable = "undecodable";

    /// <summary>The image header is valid but the pixel data ends early.</summary>
    public const string Truncated = "truncated";

    /// <summary>The image header is valid but the pixel data is corrupt (the decoder rejected it, not for ending early).</summary>
    public const string Corrupt = "corrupt";

    /// <summary>The header declares more pixels than <see cref="InferenceOptions.MaxPixels"/>; refused before decoding.</summary>
    public const string DimensionsExceedLimit = "dimensions-exceed-limit";
}
