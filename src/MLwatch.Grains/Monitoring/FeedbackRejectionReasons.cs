namespace MLwatch.Grains.Monitoring;

/// <summary>Reason codes for feedback records sent to the dead-letter topic.</summary>
public static class FeedbackRejectionReasons
{
    public const string MissingRequestId = "feedback-without-request-id";
    public const string UnknownLabel = "feedback-unknown-label";
}
