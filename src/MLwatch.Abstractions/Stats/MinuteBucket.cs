namespace MLwatch.Abstractions.Stats;

/// <summary>Predictions of a label within one minute.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.minute-bucket")]
public sealed record MinuteBucket(
    [property: Id(0)] DateTimeOffset Minute,
    [property: Id(1)] long Count,
    [property: Id(2)] double MeanConfidence);
