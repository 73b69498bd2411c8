namespace MLwatch.Abstractions.Ingest;

/// <summary>Refused records of one delivery: (partition, offset, reason code) each.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.dead-letter-batch")]
public sealed record DeadLetterBatch([property: Id(0)] DeadLetterEntry[] Entries);
