namespace MLwatch.Abstractions.Wire;

/// <summary>Default Kafka topic names.</summary>
public static class TopicNames
{
    /// <summary>Images to classify.</summary>
    public const string Requests = "mlwatch.requests";

    /// <summary>Refused records with their reason.</summary>
    public const string DeadLetter = "mlwatch.deadletter";

    /// <summary>Ground-truth labels joined to earlier predictions: key = request id, value = label name or index.</summary>
    public const string Feedback = "mlwatch.feedback";

    /// <summary>Drift alerts raised and cleared, as JSON.</summary>
    public const string Alerts = "mlwatch.alerts";
}
