namespace MLwatch.Inference.Imaging;

/// <summary>Thrown by <see cref="ImagePreprocessor.Preprocess"/> when an image cannot be used; see <see cref="Reason"/>.</summary>
public sealed class ImageRejectedException : Exception
{
    /// <summary>Creates the exception from a rejection.</summary>
    public ImageRejectedException(ImageRejection rejection)
        : base(rejection?.Message)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        Rejection = rejection;
    }

    /// <summary>The rejection details.</summary>
    public ImageRejection Rejection { get; }

    /// <summary>Machine-readable code from <see cref="ImageRejectionReasons"/>.</summary>
    public string Reason => Rejection.Reason;
}
