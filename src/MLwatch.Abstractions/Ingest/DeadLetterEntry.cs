namespace MLwatch.Abstractions.Ingest;

/// <summary>One refused record.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.dead-letter-entry")]
public readonly record struct DeadLetterEntry(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] string ReasonCode);
