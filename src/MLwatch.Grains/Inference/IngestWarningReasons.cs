namespace MLwatch.Grains.Inference;

/// <summary>
/// Reason codes of field problems in records that are still classified and counted (GET /api/ingest/warnings): each
/// names the field and what the pipeline did instead of trusting it.
/// </summary>
public static class IngestWarningReasons
{
    /// <summary><c>mlwatch-sent-at</c> is not an integer number of Unix milliseconds; the Kafka timestamp was used.</summary>
    public const string SentAtNotANumber = "sent-at-not-a-number";

    /// <summary><c>mlwatch-sent-at</c> lies in the future (beyond Ingest.MaxClockSkew); the Kafka timestamp was used.</summary>
    public const string SentAtInFuture = "sent-at-in-future";

    /// <summary><c>mlwatch-sent-at</c> lies more than a day before the Kafka timestamp, or before 1970; the Kafka timestamp was used.</summary>
    public const string SentAtTooEarly = "sent-at-too-early";

    /// <summary>
    /// The Kafka timestamp was needed (no usable <c>mlwatch-sent-at</c>) and is unusable: not set, past year 9999, or in
    /// the future beyond Ingest.MaxClockSkew. The record was counted without a latency.
    /// </summary>
    public const string KafkaTimestampUnusable = "kafka-timestamp-unusable";

    /// <summary><c>mlwatch-label</c> is neither a label of the model nor a class index; the record was counted as unlabelled.</summary>
    public const string LabelUnknown = "label-unknown";
}
