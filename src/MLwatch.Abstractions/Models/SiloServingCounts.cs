namespace MLwatch.Abstractions.Models;

/// <summary>What one silo served of a model version, as it last reported.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.silo-serving-counts")]
public sealed record SiloServingCounts(
    [property: Id(0)] long Records,
    [property: Id(1)] long Errors,
    [property: Id(2)] DateTimeOffset Since,
    [property: Id(3)] DateTimeOffset ReportedAt);
