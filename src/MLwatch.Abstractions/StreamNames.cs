namespace MLwatch.Abstractions;

/// <summary>Names shared by silos, clients and tests, so a test can swap the stream provider.</summary>
public static class StreamNames
{
    /// <summary>The Orleans stream provider that reads the requests topic.</summary>
    public const string Provider = "kafka";

    /// <summary>The stream namespace inference grains implicitly subscribe to.</summary>
    public const string Requests = "mlwatch.requests";

    /// <summary>The Orleans stream provider that reads the feedback topic (delayed ground-truth labels).</summary>
    public const string FeedbackProvider = "kafka-feedback";

    /// <summary>The stream namespace feedback grains implicitly subscribe to.</summary>
    public const string Feedback = "mlwatch.feedback";
}
