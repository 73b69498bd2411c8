namespace MLwatch.Abstractions.Shadow;

/// <summary>A shadow comparison: in total and per window, oldest window first.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.shadow-comparison-snapshot")]
public sealed record ShadowComparisonSnapshot(
    [property: Id(0)] ShadowComparisonKey Key,
    [property: Id(1)] ShadowWindowSnapshot Total,
    [property: Id(2)] ShadowWindowSnapshot[] Windows);
