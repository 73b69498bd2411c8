using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Ingest;

/// <summary>Persisted dead-letter counters of one topic.</summary>
[GenerateSerializer, Alias("mlwatch.dead-letter-stats-state")]
public sealed class DeadLetterStatsState : WriteBehindState
{
    /// <summary>Refused records by reason code.</summary>
    [Id(0)] public Dictionary<string, long> CountsByReason { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per "{topic}/{partition}": the highest offset counted.</summary>
    [Id(1)] public Dictionary<string, long> AppliedThrough { get; set; } = new(StringComparer.Ordinal);
}
