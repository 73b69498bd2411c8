namespace MLwatch.Inference.Imaging;

/// <summary>Why an image was refused: a code from <see cref="ImageRejectionReasons"/> and a message saying what to do.</summary>
public sealed record ImageRejection(string Reason, string Message);
