namespace MLwatch.Abstractions.Models;

/// <summary>The persisted state of an <see cref="IModelServingStatsGrain"/>: each silo's latest snapshot.</summary>
[GenerateSerializer, Alias("mlwatch.model-serving-stats-state")]
public sealed class ModelServingStatsState
{
    /// <summary>By silo address. A restarted silo has a new address: its earlier snapshot stays, as the history it served.</summary>
    [Id(0)] public Dictionary<string, ServingSnapshot> Silos { get; set; } = new(StringComparer.Ordinal);
}
