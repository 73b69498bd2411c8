using Orleans.Concurrency;

namespace MLwatch.Abstractions.Stats;

/// <summary>Statistics of one label of one model version; key "{model}@{version}/{label}" (see <see cref="LabelStatsKey"/>).</summary>
public interface ILabelStatsGrain : IFlushableGrain
{
    /// <summary>Applies predictions, ignoring any record already applied; returns this activation's incarnation.</summary>
    ValueTask<Guid> ApplyAsync(LabelObservationBatch batch);

    /// <summary>The current statistics; served from memory even while a flush waits for storage.</summary>
    [AlwaysInterleave]
    ValueTask<LabelStatsSnapshot> GetSnapshotAsync();
}
