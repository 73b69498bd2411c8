namespace MLwatch.Streaming.Kafka;

/// <summary>The Kafka partitions one silo receives, as it answers <see cref="KafkaStreamCommands.GetOwnedPartitions"/>.</summary>
/// <param name="Silo">The answering silo's address (<c>SiloAddress.ToString()</c>, as the membership table shows it).</param>
/// <param name="Partitions">"{topic}/{partition}" received by the silo, in order.</param>
/// <param name="Statuses">The status of each of them, in the same order.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.silo-partitions")]
public sealed record SiloPartitions(
    [property: Id(0)] string Silo,
    [property: Id(1)] IReadOnlyList<string> Partitions,
    [property: Id(2)] IReadOnlyList<KafkaPartitionStatus> Statuses);
