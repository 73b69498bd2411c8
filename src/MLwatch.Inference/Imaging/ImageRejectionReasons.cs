namespace MLwatch.Inference.Imaging;

/// <summary>Machine-readable codes carried by <see cref="ImageRejection.Reason"/>.</summary>
public static class ImageRejectionReasons
{
    /// <summary>The payload has zero bytes.</summary>
    public const string Empty = "empty";

    /// <summary>The payload is larger than <see cref="InferenceOptions.MaxImageBytes"/>.</summary>
    public const string TooLarge = "too-large";

    /// <summary>The bytes start with no known image signature (random bytes, text), or decoding failed unexpectedly.</summary>
    public const string Undecodable = "undecodable";

    /// <summary>A known format (PNG, JPEG, GIF, BMP, WebP) whose bytes end early: inside its header, or before its pixel data or end marker.</summary>
    public const string Truncated = "truncated";

    /// <summary>A known format whose file is complete but whose header breaks the format's rules, or whose pixel data the decoder rejects (not for ending early).</summary>
    public const string Corrupt = "corrupt";

    /// <summary>The header declares more pixels than <see cref="InferenceOptions.MaxPixels"/>, whatever the format and whether or not SkiaSharp would decode it; refused before decoding.</summary>
    public const string DimensionsExceedLimit = "dimensions-exceed-limit";

    /// <summary>A tensor record (content-type application/x-fp32-tensor) whose size is not the model's input tensor of one image.</summary>
    public const string TensorShapeMismatch = "tensor-shape-mismatch";

    /// <summary>A tensor record with a NaN or infinite element.</summary>
    public const string TensorNotFinite = "tensor-not-finite";

    /// <summary>The model version gave NaN or infinite scores for the image: an error of the version, not of the record.</summary>
    public const string ModelOutputNotFinite = "model-output-not-finite";

    /// <summary>ONNX Runtime failed to run the model version on the image alone: an error of the version, not of the record.</summary>
    public const string ModelRunFailed = "model-run-failed";

    /// <summary>Whether <paramref name="reason"/> blames the model version rather than the record: counted as the version's error.</summary>
    public static bool IsVersionFault(string? reason) => reason is ModelOutputNotFinite or ModelRunFailed;
}
