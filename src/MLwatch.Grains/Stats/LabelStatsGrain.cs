using MLwatch.Abstractions;
using MLwatch.Abstractions.Stats;
using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Stats;

/// <summary>
/// Accumulates one label's predictions in memory and persists them when the commit barrier flushes it, so that a
/// Kafka offset is committed only after the statistics it produced are durable.
/// </summary>
public sealed class LabelStatsGrain(
    [PersistentState("labelStats", StorageNames.Stats)] IPersistentState<LabelStatsState> state)
    : WriteBehindGrain<LabelStatsState>(state), ILabelStatsGrain
{
    public ValueTask<Guid> ApplyAsync(LabelObservationBatch batch)
    {
        if (LabelStatsAggregation.Apply(State, batch).Changed)
        {
            MarkChanged();
        }

        return ValueTask.FromResult(HandOutIncarnation());
    }

    public ValueTask<LabelStatsSnapshot> GetSnapshotAsync() =>
        ValueTask.FromResult(LabelStatsAggregation.ToSnapshot(LabelStatsKey.Parse(this.GetPrimaryKeyString()), State));
}
