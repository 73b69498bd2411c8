namespace MLwatch.Inference.Imaging;

/// <summary>Why an image was refused: a code from <see cref="ImageRejectionReasons"/> and a message saying what to do.</summary>
public sealed record ImageRejection(string Reason, string Message)
{
    /// <summary>"{model}@{version}" when the image was refused by a model version (it could not be made into its input); null before a model was chosen.</summary>
    public string? ModelVersion { get; init; }
}
