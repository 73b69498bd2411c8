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

    /// <summary>
    /// Counts the refused records of one delivery of <paramref name="topic"/> not counted already; an entry standing for
    /// a range of records (<see cref="DeadLetterEntry.RecordCount"/>) counts each of its offsets not counted already.
    /// </summary>
    public (long Applied, bool Changed) Apply(string topic, DeadLetterBatch batch) =>
        Applied.ApplyRanges(
            topic,
            batch.Partition,
            batch.FirstOffset,
            batch.LastOffset,
            batch.CommittedBefore,
            batch.Entries,
            e => new OffsetInterval(e.FirstOffset, e.Offset),
            (e, records) => CountsByReason[e.ReasonCode] = CountsByReason.GetValueOrDefault(e.ReasonCode) + records);
}
