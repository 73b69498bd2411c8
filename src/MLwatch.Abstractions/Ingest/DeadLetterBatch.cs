namespace MLwatch.Abstractions.Ingest;

/// <summary>
/// Refused records of one delivery of one partition, with the range of offsets that delivery covered (see
/// <see cref="Stats.LabelObservationBatch"/>).
/// </summary>
/// <param name="Entries">(partition, offset, reason code) of each refused record.</param>
/// <param name="Partition">Kafka partition of every record of the delivery.</param>
/// <param name="FirstOffset">First offset of the delivery.</param>
/// <param name="LastOffset">Last offset of the delivery; every record between the two was part of it.</param>
/// <param name="CommittedBefore">The partition's committed offset when it was delivered (0 when unknown).</param>
[GenerateSerializer, Immutable, Alias("mlwatch.dead-letter-batch")]
public sealed record DeadLetterBatch(
    [property: Id(0)] DeadLetterEntry[] Entries,
    [property: Id(1)] int Partition,
    [property: Id(2)] long FirstOffset,
    [property: Id(3)] long LastOffset,
    [property: Id(4)] long CommittedBefore);
