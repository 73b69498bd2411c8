namespace MLwatch.Streaming.Kafka;

/// <summary>One Kafka record header.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.kafka-header")]
public sealed record KafkaHeader([property: Id(0)] string Key, [property: Id(1)] byte[] Value);
