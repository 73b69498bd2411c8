namespace MLwatch.Streaming.Kafka;

/// <summary>One partition of a Kafka topic: what a receiver reads and commits, and what the commit barrier can ask to rewind.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.kafka-partition")]
public readonly record struct KafkaPartition(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition)
{
    public override string ToString() => $"{Topic}/{Partition}";
}
