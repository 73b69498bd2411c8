using Orleans.Concurrency;

namespace MLwatch.Abstractions.Speculative;

/// <summary>
/// Which version answered each record of a model served with a fallback (key = the primary model's name): the primary's
/// own versions or the fallback's, counted exactly once per record like the label statistics.
/// </summary>
public interface ISpeculativeServingGrain : IFlushableGrain
{
    /// <summary>Counts the answers of one delivery, ignoring any record already counted; returns this activation's incarnation.</summary>
    ValueTask<Guid> ApplyAsync(SpeculativeAnswerBatch batch);

    /// <summary>The counts so far; served from memory even while a flush waits for storage.</summary>
    [AlwaysInterleave]
    ValueTask<SpeculativeServingSnapshot> GetSnapshotAsync();
}
