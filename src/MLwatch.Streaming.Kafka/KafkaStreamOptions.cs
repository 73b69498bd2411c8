using Orleans;

namespace MLwatch.Streaming.Kafka;

/// <summary>Options of a Kafka stream provider.</summary>
public sealed class KafkaStreamOptions
{
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

    /// <summary>How long to wait for broker metadata at start-up. Defaults to 15 seconds.</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra librdkafka properties for every client (e.g. security.protocol, sasl.*). Defaults to none.</summary>
    [Redact]
    public Dictionary<string, string> ClientConfig { get; set; } = new(StringComparer.Ordinal);
}
