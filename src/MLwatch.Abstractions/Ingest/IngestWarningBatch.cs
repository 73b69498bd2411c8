namespace MLwatch.Abstractions.Ingest;

/// <summary>
/// Field problems found in one delivery of one partition, with the range of offsets that delivery covered (see
/// <see cref="Stats.LabelObservationBatch"/>), so that each is counted once however often the delivery is repeated.
/// </summary>
/// <param name="Warnings">(partition, offset, reason code) of each problem; a record may have several.</param>
/// <param name="Partition">Kafka partition of every record of the delivery.</param>
/// <param name="FirstOffset">First offset of the delivery.</param>
/// <param name="LastOffset">Last offset of the delivery; every record between the two was part of it.</param>
/// <param name="CommittedBefore">The partition's committed offset when it was delivered (0 when unknown).</param>
[GenerateSerializer, Immutable, Alias("mlwatch.ingest-warning-batch")]
public sealed record IngestWarningBatch(
    [property: Id(0)] IngestWarning[] Warnings,
    [property: Id(1)] int Partition,
    [property: Id(2)] long FirstOffset,
    [property: Id(3)] long LastOffset,
    [property: Id(4)] long CommittedBefore);
