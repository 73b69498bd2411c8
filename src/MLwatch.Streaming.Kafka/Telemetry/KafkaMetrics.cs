using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace MLwatch.Streaming.Kafka.Telemetry;

/// <summary>
/// The Kafka stream provider's instruments (meter <see cref="MeterName"/>): every partition this silo receives, as
/// observable gauges read from <see cref="KafkaPartitionOwnership.Statuses"/> when metrics are collected (lag,
/// committed, delivered and end offsets, stalled), and the checkpoints of the flush-then-commit protocol. A partition
/// that moves to another silo disappears from this one's gauges and appears on the other's.
/// </summary>
public sealed class KafkaMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MLwatch.Kafka";

    /// <summary>Attribute (OpenTelemetry messaging conventions): the messaging system, always <c>kafka</c>.</summary>
    public const string MessagingSystem = "messaging.system";

    /// <summary>Attribute (OpenTelemetry messaging conventions): the topic.</summary>
    public const string Topic = "messaging.destination.name";

    /// <summary>Attribute (OpenTelemetry messaging conventions): the partition number, as a string.</summary>
    public const string Partition = "messaging.destination.partition.id";

    /// <summary>Attribute: how a checkpoint ended, <c>committed</c>, <c>rewound</c> or <c>failed</c>.</summary>
    public const string Outcome = "outcome";

    // A checkpoint is a flush of the grains a partition touched, then a commit: milliseconds, or as long as storage is slow.
    private static readonly IReadOnlyList<double> CheckpointBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Histogram<double> _checkpointDuration;
    private readonly Counter<long> _checkpointFailures;

    public KafkaMetrics(IMeterFactory meters, KafkaPartitionOwnership ownership)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(ownership);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "mlwatch.kafka.consumer.lag", () => Read(ownership, s => s.Lag), "{message}",
            "Records in Kafka not yet delivered to the consumers, per partition this silo receives.");
        meter.CreateObservableGauge(
            "mlwatch.kafka.consumer.committed_offset", () => Read(ownership, s => s.CommittedOffset), "{offset}",
            "The consumer group's committed offset (where reading resumes after a restart); -1 before the first commit.");
        meter.CreateObservableGauge(
            "mlwatch.kafka.consumer.delivered_offset", () => Read(ownership, s => s.DeliveredThrough), "{offset}",
            "The highest offset through which every record was delivered to all consumers; -1 before the first delivery.");
        meter.CreateObservableGauge(
            "mlwatch.kafka.partition.end_offset", () => Read(ownership, s => s.EndOffset), "{offset}",
            "The offset the next record produced to the partition will get (high watermark); -1 until known.");
        meter.CreateObservableGauge(
            "mlwatch.kafka.partition.stalled", () => Read(ownership, s => s.Stalled ? 1 : 0), "{partition}",
            "1 while records of the partition wait and none was delivered for Kafka:StallAfter, else 0.");
        _checkpointDuration = meter.CreateHistogram(
            "mlwatch.kafka.checkpoint.duration", "s", "Time a checkpoint took: flushing every grain the partition's records touched, then committing (or rewinding).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CheckpointBuckets });
        _checkpointFailures = meter.CreateCounter<long>(
            "mlwatch.kafka.checkpoint.failures", "{checkpoint}", "Checkpoints that failed (the offset stays uncommitted; the next checkpoint retries).");
    }

    /// <summary>The attributes of <paramref name="partition"/>.</summary>
    public static TagList Tags(KafkaPartition partition) => new()
    {
        { MessagingSystem, "kafka" },
        { Topic, partition.Topic },
        { Partition, partition.Partition.ToString(CultureInfo.InvariantCulture) },
    };

    /// <summary>A checkpoint of <paramref name="partition"/> started at <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp) ended with <paramref name="outcome"/>.</summary>
    internal void CheckpointEnded(KafkaPartition partition, string outcome, long startedAt)
    {
        var tags = Tags(partition);
        tags.Add(Outcome, outcome);
        _checkpointDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, tags);
        if (outcome == CheckpointOutcomes.Failed)
        {
            _checkpointFailures.Add(1, Tags(partition));
        }
    }

    private static IEnumerable<Measurement<long>> Read(KafkaPartitionOwnership ownership, Func<KafkaPartitionStatus, long> value) =>
        ownership.Statuses().Select(s => new Measurement<long>(value(s), Tags(new KafkaPartition(s.Topic, s.Partition))));
}
