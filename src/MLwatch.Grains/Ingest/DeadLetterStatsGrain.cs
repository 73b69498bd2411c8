using MLwatch.Abstractions;
using MLwatch.Abstractions.Ingest;
using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Ingest;

/// <summary>Counts dead-lettered records of one topic (the grain key) by reason, exactly once per record.</summary>
public sealed class DeadLetterStatsGrain(
    [PersistentState("deadLetterStats", StorageNames.Stats)] IPersistentState<DeadLetterStatsState> state)
    : WriteBehindGrain<DeadLetterStatsState>(state), IDeadLetterStatsGrain
{
    public ValueTask<Guid> ApplyAsync(DeadLetterBatch batch)
    {
        if (State.Apply(this.GetPrimaryKeyString(), batch).Changed)
        {
            MarkChanged();
        }

        return ValueTask.FromResult(HandOutIncarnation());
    }

    public ValueTask<IReadOnlyDictionary<string, long>> GetCountsAsync() =>
        ValueTask.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(State.CountsByReason));
}
