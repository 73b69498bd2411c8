namespace MLwatch.Abstractions.Stats;

/// <summary>
/// Predictions of one label from one delivery of one partition, with the range of offsets that delivery covered: the
/// label grain applies each observation whose offset it has not applied yet, then records the whole range as applied.
/// </summary>
/// <param name="Topic">Kafka topic of the records.</param>
/// <param name="Observations">This label's predictions, each identified by its record.</param>
/// <param name="Partition">Kafka partition of every record of the delivery.</param>
/// <param name="FirstOffset">First offset of the delivery (of any record, not only this label's).</param>
/// <param name="LastOffset">Last offset of the delivery; every record between the two was part of it.</param>
/// <param name="CommittedBefore">The partition's committed offset when it was delivered: every record below it is durable wherever it was applied (0 when unknown).</param>
[GenerateSerializer, Immutable, Alias("mlwatch.label-observation-batch")]
public sealed record LabelObservationBatch(
    [property: Id(0)] string Topic,
    [property: Id(1)] LabelObservation[] Observations,
    [property: Id(2)] int Partition,
    [property: Id(3)] long FirstOffset,
    [property: Id(4)] long LastOffset,
    [property: Id(5)] long CommittedBefore);
