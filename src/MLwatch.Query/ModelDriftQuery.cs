using MLwatch.Abstractions.Monitoring;
using MLwatch.Inference.Models;

namespace MLwatch.Query;

/// <summary>Reads model monitors' live state for the API, the CLI and the dashboard, through any IGrainFactory.</summary>
public sealed class ModelDriftQuery(IGrainFactory grains, ModelCatalog catalog) : IModelDriftSource
{
    /// <summary>Drift windows and active alerts of <paramref name="model"/>.</summary>
    public Task<ModelDriftSnapshot> GetDriftAsync(ModelDescriptor model) => Monitor(model).GetDriftAsync().AsTask();

    /// <summary>Sets the alert thresholds of <paramref name="model"/>'s monitor from its next window on.</summary>
    public Task<ModelDriftSnapshot> SetThresholdsAsync(ModelDescriptor model, DriftThresholdSettings thresholds) => Monitor(model).SetThresholdsAsync(thresholds);

    /// <summary>Clears <paramref name="model"/>'s closed windows and active alerts (keeps exactly-once marks).</summary>
    public Task<ModelDriftSnapshot> ResetAsync(ModelDescriptor model) => Monitor(model).ResetAsync();

    /// <inheritdoc />
    public async Task<ModelDriftSnapshot?> GetDriftAsync(string model) =>
        catalog.TryGet(model, out var descriptor) ? await GetDriftAsync(descriptor) : null;

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(string? model = null)
    {
        if (model is null)
        {
            return GetAlertsAsync((ModelDescriptor?)null);
        }

        // A model not served has no alerts; falling back to every model's would show other models' alerts under its name.
        return catalog.TryGet(model, out var descriptor) ? GetAlertsAsync(descriptor) : Task.FromResult<IReadOnlyList<AlertEvent>>([]);
    }

    /// <summary>
    /// Alert history of every version of every model (or of <paramref name="model"/>'s versions only), newest first:
    /// a version no longer served keeps its alerts (a version rolled back by supervision raised its last one as it went).
    /// </summary>
    public async Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(ModelDescriptor? model)
    {
        var versions = model is null ? catalog.Names.SelectMany(catalog.Versions) : catalog.Versions(model.Name);
        var histories = await Task.WhenAll(versions.Select(m => Monitor(m).GetAlertsAsync().AsTask()));
        return [.. histories.SelectMany(h => h).OrderByDescending(a => a.At).ThenByDescending(a => a.Window)];
    }

    /// <summary>Alerts raised and not cleared, of every served model (or of <paramref name="model"/> only).</summary>
    public async Task<IReadOnlyList<AlertEvent>> GetActiveAlertsAsync(ModelDescriptor? model = null)
    {
        var snapshots = await Task.WhenAll(Models(model).Select(GetDriftAsync));
        return [.. snapshots.SelectMany(s => s.ActiveAlerts).OrderByDescending(a => a.At)];
    }

    private IReadOnlyList<ModelDescriptor> Models(ModelDescriptor? model) => model is null ? catalog.All : [model];

    private IModelMonitorGrain Monitor(ModelDescriptor model) =>
        grains.GetGrain<IModelMonitorGrain>(new ModelKey(model.Name, model.Version).ToString());
}
