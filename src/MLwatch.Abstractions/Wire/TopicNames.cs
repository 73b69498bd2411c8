namespace MLwatch.Abstractions.Wire;

/// <summary>Default Kafka topic names.</summary>
public static class TopicNames
{
    /// <summary>Images to classify.</summary>
    public const string Requests = "mlwatch.requests";

    /// <summary>Refused records with their reason.</summary>
    public const string DeadLetter = "mlwatch.deadletter";
}
