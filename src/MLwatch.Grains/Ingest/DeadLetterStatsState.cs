using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Ingest;

/// <summary>Persisted dead-letter counters of one topic.</summary>
[GenerateSerializer, Alias("mlwatch.dead-letter-stats-state")]
public sealed class DeadLetterStatsState : WriteBehindState
{
    /// <summary>Refused records by reason code.</summary>
    [Id(0)] public Dictionary<string, long> CountsByReason { get; set; } = new(StringComparer.Ordinal);

    // Id 1 held the per-partition high-water marks, now WriteBehindState.Applied (old rows are migrated on load).
}
