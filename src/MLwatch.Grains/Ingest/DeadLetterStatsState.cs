using MLwatch.Abstractions.Ingest;
using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Ingest;

/// <summary>Persisted dead-letter counters of one topic.</summary>
[GenerateSerializer, Alias("mlwatch.dead-letter-stats-state")]
public sealed class DeadLetterStatsState : WriteBehindState
{
    /// <summary>Refused records by reason code.</summary>
    [Id(0)] public Dictionary<string, long> CountsByReason { get; set; } = new(StringComparer.Ordinal);

    // Id 1 held the per-partition high-water marks, now WriteBehindState.Applied (old rows are migrated on load).

    /// <summary>Counts the refused records of one delivery of <paramref name="topic"/> not counted already.</summary>
    public (int Applied, bool Changed) Apply(string topic, DeadLetterBatch batch) =>
        Applied.Apply(topic, batch.Partition, batch.FirstOffset, batch.LastOffset, batch.CommittedBefore, batch.Entries, e => e.Offset, e => CountsByReason[e.ReasonCode] = CountsByReason.GetValueOrDefault(e.ReasonCode) + 1);
}
