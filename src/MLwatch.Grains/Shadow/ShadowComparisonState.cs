using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Shadow;

/// <summary>Persisted state of one shadow comparison: the total and the most recent windows, oldest first.</summary>
[GenerateSerializer, Alias("mlwatch.shadow-comparison-state")]
public sealed class ShadowComparisonState : WriteBehindState
{
    [Id(0)] public ShadowTally Total { get; set; } = new();
    [Id(1)] public List<ShadowTally> Windows { get; set; } = [];
}
