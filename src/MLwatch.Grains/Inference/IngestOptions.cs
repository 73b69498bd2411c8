namespace MLwatch.Grains.Inference;

/// <summary>How records are read and where refused ones go.</summary>
public sealed class IngestOptions
{
    /// <summary>Directories that file-path records (content-type text/uri-list) may point into. Defaults to none: path records are refused.</summary>
    public List<string> AllowedRoots { get; set; } = [];

    /// <summary>Topic that refused records are written to, with their reason. Defaults to "mlwatch.deadletter".</summary>
    public string DeadLetterTopic { get; set; } = "mlwatch.deadletter";

    /// <summary>Values larger than this are dead-lettered without their value (headers say so). Defaults to 512 KiB.</summary>
    public int DeadLetterMaxValueBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// Records whose key is longer than this many bytes (UTF-8) are dead-lettered with reason <c>key-too-large</c> (the
    /// dead letter is keyed by the record's topic/partition/offset instead). Defaults to 1 KiB.
    /// </summary>
    public int MaxKeyBytes { get; set; } = 1024;

    /// <summary>
    /// Records whose headers (names and values, all together) exceed this many bytes are dead-lettered with reason
    /// <c>headers-too-large</c> (the dead letter omits the original headers). Defaults to 16 KiB.
    /// </summary>
    public int MaxHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>Longest wait between two attempts of a failing delivery, whatever <see cref="DeliveryRetryBackoff"/> doubles to: 1 s.</summary>
    public static readonly TimeSpan MaxDeliveryRetryBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many times a delivery that failed for a reason that may lie in its records is retried, in the consumer,
    /// before it is split to isolate the record(s) that fail (which are dead-lettered as <c>internal-error</c>).
    /// Failures of the cluster, storage or Kafka are not counted here: they wait, however long. Defaults to 3.
    /// </summary>
    public int DeliveryRetries { get; set; } = 3;

    /// <summary>Wait before the first retry of a failing delivery, doubling for each further one (at most 1 s). Defaults to 100 ms.</summary>
    public TimeSpan DeliveryRetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How far in the future an mlwatch-sent-at header or a Kafka timestamp may lie (clocks of producers and silos
    /// differ) before it counts as absurd: the latency then falls back to the Kafka timestamp, or is not recorded.
    /// Defaults to 1 minute.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws when a field cannot work, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DeadLetterTopic))
        {
            throw new ArgumentException("Ingest.DeadLetterTopic must name a Kafka topic.");
        }

        if (DeadLetterMaxValueBytes < 0)
        {
            throw new ArgumentException($"Ingest.DeadLetterMaxValueBytes must be >= 0, was {DeadLetterMaxValueBytes}.");
        }

        if (MaxKeyBytes < 1)
        {
            throw new ArgumentException($"Ingest.MaxKeyBytes must be >= 1, was {MaxKeyBytes}.");
        }

        if (MaxHeaderBytes < 1)
        {
            throw new ArgumentException($"Ingest.MaxHeaderBytes must be >= 1, was {MaxHeaderBytes}.");
        }

        if (DeliveryRetries is < 0 or > 10)
        {
            throw new ArgumentException($"Ingest.DeliveryRetries must be between 0 and 10, was {DeliveryRetries} (a delivery's attempts must end well within a grain call's 30 s timeout).");
        }

        if (DeliveryRetryBackoff < TimeSpan.Zero || DeliveryRetryBackoff > MaxDeliveryRetryBackoff)
        {
            throw new ArgumentException($"Ingest.DeliveryRetryBackoff must be between 00:00:00 and {MaxDeliveryRetryBackoff}, was {DeliveryRetryBackoff}.");
        }

        if (MaxClockSkew < TimeSpan.Zero || MaxClockSkew > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"Ingest.MaxClockSkew must be between 00:00:00 and 1.00:00:00, was {MaxClockSkew}.");
        }

        foreach (var root in AllowedRoots)
        {
            if (!Path.IsPathFullyQualified(root))
            {
                throw new ArgumentException($"Ingest.AllowedRoots entry '{root}' must be an absolute directory path.");
            }
        }
    }
}
