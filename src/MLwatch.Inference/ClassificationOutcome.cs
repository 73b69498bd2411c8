using MLwatch.Inference.Imaging;

namespace MLwatch.Inference;

/// <summary>Result for one image: the top-1 class with its confidence, or the rejection that kept it out of the batch.</summary>
public readonly record struct ClassificationOutcome
{
    private ClassificationOutcome(int labelIndex, string? label, float confidence, ImageRejection? rejection, ScoredClass[]? topK = null)
    {
        LabelIndex = labelIndex;
        Label = label;
        Confidence = confidence;
        Rejection = rejection;
        TopK = topK;
    }

    /// <summary>Top-1 class index into the model's labels; -1 when rejected.</summary>
    public int LabelIndex { get; }

    /// <summary>Top-1 class label; null when rejected.</summary>
    public string? Label { get; }

    /// <summary>Probability of the top-1 class in [0, 1]; 0 when rejected.</summary>
    public float Confidence { get; }

    /// <summary>Why the image was refused; null on success.</summary>
    public ImageRejection? Rejection { get; }

    /// <summary>The best classes with their probabilities, best first, when the caller asked for them; else null.</summary>
    public ScoredClass[]? TopK { get; }

    /// <summary>True when the image was classified.</summary>
    public bool IsSuccess => Rejection is null;

    /// <summary>A successful classification.</summary>
    public static ClassificationOutcome Classified(int labelIndex, string label, float confidence, ScoredClass[]? topK = null) =>
        new(labelIndex, label, confidence, null, topK);

    /// <summary>A per-image failure.</summary>
    public static ClassificationOutcome Rejected(ImageRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new ClassificationOutcome(-1, null, 0f, rejection);
    }
}
