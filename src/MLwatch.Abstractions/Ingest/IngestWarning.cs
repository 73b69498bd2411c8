namespace MLwatch.Abstractions.Ingest;

/// <summary>
/// A problem with one field of a record that was still classified and counted (an absurd mlwatch-sent-at, an unusable
/// Kafka timestamp, an mlwatch-label that is no label of the model): counted by reason instead of passing unseen.
/// </summary>
/// <param name="Partition">Kafka partition of the record.</param>
/// <param name="Offset">Kafka offset of the record.</param>
/// <param name="ReasonCode">What was wrong (see the README's wire format).</param>
[GenerateSerializer, Immutable, Alias("mlwatch.ingest-warning")]
public readonly record struct IngestWarning(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] string ReasonCode);
