using MLwatch.Abstractions;
using MLwatch.Abstractions.Ingest;
using MLwatch.Grains.Persistence;
using MLwatch.Grains.Stats;

namespace MLwatch.Grains.Ingest;

/// <summary>Counts dead-lettered records of one topic (the grain key) by reason, exactly once per record.</summary>
public sealed class DeadLetterStatsGrain(
    [PersistentState("deadLetterStats", StorageNames.Stats)] IPersistentState<DeadLetterStatsState> state)
    : WriteBehindGrain<DeadLetterStatsState>(state), IDeadLetterStatsGrain
{
    public ValueTask<Guid> ApplyAsync(DeadLetterBatch batch)
    {
        var topic = this.GetPrimaryKeyString();
        foreach (var entry in batch.Entries)
        {
            if (AppliedOffsets.TryAdvance(State.AppliedThrough, topic, entry.Partition, entry.Offset))
            {
                State.CountsByReason[entry.ReasonCode] = State.CountsByReason.GetValueOrDefault(entry.ReasonCode) + 1;
                MarkChanged();
            }
        }

        return ValueTask.FromResult(HandOutIncarnation());
    }

    public ValueTask<IReadOnlyDictionary<string, long>> GetCountsAsync() =>
        ValueTask.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(State.CountsByReason));
}
