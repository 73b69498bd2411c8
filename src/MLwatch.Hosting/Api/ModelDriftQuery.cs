using MLwatch.Abstractions.Monitoring;
using MLwatch.Inference.Models;

namespace MLwatch.Hosting.Api;

/// <summary>Reads model monitors' live state for the API, the CLI and the dashboard.</summary>
public sealed class ModelDriftQuery(IGrainFactory grains, ModelCatalog catalog)
{
    /// <summary>Drift windows and active alerts of <paramref name="model"/>.</summary>
    public Task<ModelDriftSnapshot> GetDriftAsync(ModelDescriptor model) => Monitor(model).GetDriftAsync().AsTask();

    /// <summary>Sets the alert thresholds of <paramref name="model"/>'s monitor from its next window on.</summary>
    public Task<ModelDriftSnapshot> SetThresholdsAsync(ModelDescriptor model, DriftThresholdSettings thresholds) => Monitor(model).SetThresholdsAsync(thresholds);

    /// <summary>Clears <paramref name="model"/>'s closed windows and active alerts (keeps exactly-once marks).</summary>
    public Task<ModelDriftSnapshot> ResetAsync(ModelDescriptor model) => Monitor(model).ResetAsync();

    /// <summary>Alert history of every served model (or of <paramref name="model"/> only), newest first.</summary>
    public async Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(ModelDescriptor? model = null)
    {
        var models = model is null ? catalog.All : [model];
        var histories = await Task.WhenAll(models.Select(m => Monitor(m).GetAlertsAsync().AsTask()));
        return [.. histories.SelectMany(h => h).OrderByDescending(a => a.At).ThenByDescending(a => a.Window)];
    }

    /// <summary>Alerts raised and not cleared, of every served model (or of <paramref name="model"/> only).</summary>
    public async Task<IReadOnlyList<AlertEvent>> GetActiveAlertsAsync(ModelDescriptor? model = null)
    {
        var models = model is null ? catalog.All : [model];
        var snapshots = await Task.WhenAll(models.Select(GetDriftAsync));
        return [.. snapshots.SelectMany(s => s.ActiveAlerts).OrderByDescending(a => a.At)];
    }

    private IModelMonitorGrain Monitor(ModelDescriptor model) =>
        grains.GetGrain<IModelMonitorGrain>(new ModelKey(model.Name, model.Version).ToString());
}
