using MLwatch.Abstractions.Models;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Inference.Models;

namespace MLwatch.Query;

/// <summary>Reads a model's registry, and each version's serving statistics and monitor, through any IGrainFactory.</summary>
public sealed class ModelVersionsQuery(IGrainFactory grains) : IModelVersionsSource
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersionView>> GetVersionsAsync(string model)
    {
        var registry = await grains.GetGrain<IModelRegistryGrain>(model).GetAsync();
        var versions = registry.Versions.Values.OrderBy(v => v.Version, ModelVersions.Order).ToList();
        var views = await Task.WhenAll(versions.Select(async entry =>
        {
            var key = new ModelKey(model, entry.Version).ToString();
            var serving = grains.GetGrain<IModelServingStatsGrain>(key).GetAsync();
            var drift = grains.GetGrain<IModelMonitorGrain>(key).GetDriftAsync().AsTask();
            return new ModelVersionView(
                entry,
                entry.Version == registry.Active,
                [.. registry.Events.Where(e => e.Version == entry.Version).Reverse()],
                await serving,
                await drift);
        }));
        return views;
    }
}
