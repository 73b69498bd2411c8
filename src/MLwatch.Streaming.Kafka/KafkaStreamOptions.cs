using Orleans;

namespace MLwatch.Streaming.Kafka;

/// <summary>Options of a Kafka stream provider.</summary>
public sealed class KafkaStreamOptions
{
    /// <summary>The default of <see cref="EmbeddedPartitions"/>, also `mlwatch broker --partitions`'s.</summary>
    public const int DefaultEmbeddedPartitions = 16;

    /// <summary>Kafka bootstrap servers ("host:port,host:port"). Defaults to empty, which starts an embedded in-process broker (librdkafka's mock cluster).</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>The topic to consume. Defaults to "mlwatch.requests".</summary>
    public string Topic { get; set; } = "mlwatch.requests";

    /// <summary>The Orleans stream namespace records are delivered on; one stream per partition, keyed by the partition number. Defaults to "mlwatch.requests".</summary>
    public string StreamNamespace { get; set; } = "mlwatch.requests";

    /// <summary>Kafka consumer group whose committed offsets mark what is durable. Defaults to "mlwatch".</summary>
    public string ConsumerGroup { get; set; } = "mlwatch";

    /// <summary>Number of partitions of <see cref="Topic"/>; 0 reads it from the broker at start-up. Defaults to 0.</summary>
    public int Partitions { get; set; }

    /// <summary>How often delivered offsets are made durable (commit barrier) and committed. Defaults to 5 seconds.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Records buffered per partition between the Kafka poll thread and the pulling agent. Defaults to 4096.</summary>
    public int ReceiveBufferSize { get; set; } = 4096;

    /// <summary>
    /// Bytes (estimated: key, value, headers and a small overhead) buffered per partition between the Kafka poll thread
    /// and the pulling agent. A record larger than this is still admitted, alone. Defaults to 4 MiB.
    /// </summary>
    public long ReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Bytes of records per partition handed to the pulling agent and not yet delivered to every consumer (Orleans'
    /// queue cache counts records, not bytes): the receiver hands out fewer or none while over it, and always at least
    /// one record when none is in flight. Defaults to 8 MiB.
    /// </summary>
    public long InFlightBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Bytes librdkafka fetches ahead per partition consumer (<c>queued.max.messages.kbytes</c>; also each fetch's
    /// <c>fetch.max.bytes</c> and <c>max.partition.fetch.bytes</c>), so a consumer holds at most about twice this.
    /// A record batch larger than this is still fetched, whole. At least 1 MiB. Defaults to 2 MiB.
    /// </summary>
    public int PrefetchBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>
    /// The largest record batch a receiver can fetch (librdkafka's <c>receive.message.max.bytes</c>, plus room for
    /// framing); a larger one cannot be read and stalls its partition. At least <see cref="PrefetchBytes"/>. Defaults to
    /// 64 MiB (MLwatch accepts images up to <c>Inference:MaxImageBytes</c>, 16 MiB by default).
    /// </summary>
    public int MaxRecordBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// How often Orleans' pulling agent looks for records in a receive buffer it found empty (its
    /// GetQueueMsgsTimerPeriod; while records keep coming it reads on without waiting). Orleans' default of 100 ms is a
    /// fixed latency of up to that much on a stream that is not saturated. Defaults to 10 ms.
    /// </summary>
    public TimeSpan PullInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a fetch waits at the broker for records when there are none (librdkafka's fetch.wait.max.ms): the
    /// latency a caught-up partition adds to a new record. Defaults to 10 ms.
    /// </summary>
    public TimeSpan FetchWaitMax { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// A partition whose records wait (lag, buffered or in flight) and that delivered nothing for this long is
    /// <c>stalled</c> (status, one warning naming where its records wait). Defaults to 30 seconds.
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Partitions of the request topic (<see cref="Topic"/>) when this process starts its own embedded broker (no
    /// <see cref="BootstrapServers"/>); `mlwatch broker --partitions` has the same default. The embedded broker keeps at
    /// most 5 MiB and 100,000 records per partition, so more partitions keep more unread records. Defaults to 16.
    /// </summary>
    public int EmbeddedPartitions { get; set; } = DefaultEmbeddedPartitions;

    /// <summary>
    /// Whether a silo creates the topics it reads and writes (requests, feedback, dead letters, alerts) at start when
    /// they are missing. Defaults to true.
    /// </summary>
    public bool CreateTopics { get; set; } = true;

    /// <summary>Partitions of a topic the silo creates on a real Kafka; -1: the broker's <c>num.partitions</c>. Defaults to 16.</summary>
    public int NewTopicPartitions { get; set; } = 16;

    /// <summary>Replication factor of a topic the silo creates on a real Kafka; -1: the broker's <c>default.replication.factor</c>. Defaults to -1.</summary>
    public short NewTopicReplicationFactor { get; set; } = -1;

    /// <summary>How long to wait for broker metadata at start-up. Defaults to 15 seconds.</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra librdkafka properties for every client (e.g. security.protocol, sasl.*). Defaults to none.</summary>
    [Redact]
    public Dictionary<string, string> ClientConfig { get; set; } = new(StringComparer.Ordinal);
}
