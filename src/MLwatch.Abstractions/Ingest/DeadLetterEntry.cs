namespace MLwatch.Abstractions.Ingest;

/// <summary>One refused record, or a range of records refused together (records deleted before they were read).</summary>
/// <param name="Partition">Kafka partition of the record(s).</param>
/// <param name="Offset">Offset of the record; of a range, its last offset.</param>
/// <param name="ReasonCode">Why it was refused.</param>
/// <param name="RecordCount">How many records the entry stands for: offsets Offset − RecordCount + 1 through Offset (1 for one record; values below 1 count as 1).</param>
[GenerateSerializer, Immutable, Alias("mlwatch.dead-letter-entry")]
public readonly record struct DeadLetterEntry(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] string ReasonCode,
    [property: Id(3)] long RecordCount = 1)
{
    /// <summary>The first offset the entry stands for.</summary>
    public long FirstOffset => Offset - Math.Max(1, RecordCount) + 1;
}
