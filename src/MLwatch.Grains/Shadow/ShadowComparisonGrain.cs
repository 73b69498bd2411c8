using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Shadow;
using MLwatch.Grains.Models;
using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Shadow;

/// <summary>
/// Accumulates one shadow comparison in memory and persists it when the commit barrier flushes it, like the label
/// statistics: a Kafka offset is committed only after the comparisons of its records are durable, and a replayed
/// record is compared once.
/// </summary>
public sealed class ShadowComparisonGrain(
    [PersistentState("shadowComparison", StorageNames.Stats)] IPersistentState<ShadowComparisonState> state,
    IOptions<ModelsOptions> options)
    : WriteBehindGrain<ShadowComparisonState>(state), IShadowComparisonGrain
{
    private readonly ShadowOptions _shadow = options.Value.Shadow;

    public ValueTask<Guid> ApplyAsync(ShadowComparisonBatch batch)
    {
        if (ShadowAggregation.Apply(State, batch, _shadow.WindowDuration, _shadow.WindowsKept))
        {
            MarkChanged();
        }

        return ValueTask.FromResult(HandOutIncarnation());
    }

    public ValueTask<ShadowComparisonSnapshot> GetSnapshotAsync() =>
        ValueTask.FromResult(ShadowAggregation.ToSnapshot(ShadowComparisonKey.Parse(this.GetPrimaryKeyString()), State));
}
