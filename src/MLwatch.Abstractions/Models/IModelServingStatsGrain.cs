using Orleans.Concurrency;

namespace MLwatch.Abstractions.Models;

/// <summary>
/// The serving statistics of one model version (key = "model@version"): every silo reports its cumulative snapshot
/// periodically, the grain keeps the latest per silo and merges them.
/// </summary>
public interface IModelServingStatsGrain : IGrainWithStringKey
{
    /// <summary>Replaces <paramref name="silo"/>'s snapshot with <paramref name="snapshot"/> unless it has a later one.</summary>
    Task ReportAsync(string silo, ServingSnapshot snapshot);

    /// <summary>The merged statistics now.</summary>
    [AlwaysInterleave]
    Task<ModelServingStats> GetAsync();
}
