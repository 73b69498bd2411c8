using Orleans.Concurrency;

namespace MLwatch.Abstractions.Shadow;

/// <summary>
/// How a candidate version, scoring every record beside the active one, compares with it; key
/// "{model}@{active}~{candidate}" (see <see cref="ShadowComparisonKey"/>). Kept apart from the active version's label
/// statistics: a shadow answer is never counted as a live prediction.
/// </summary>
public interface IShadowComparisonGrain : IFlushableGrain
{
    /// <summary>Applies comparisons, ignoring any record already applied; returns this activation's incarnation.</summary>
    ValueTask<Guid> ApplyAsync(ShadowComparisonBatch batch);

    /// <summary>The comparison so far, in total and per window; served from memory even while a flush waits for storage.</summary>
    [AlwaysInterleave]
    ValueTask<ShadowComparisonSnapshot> GetSnapshotAsync();
}
