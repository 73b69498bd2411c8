using MLwatch.Abstractions.Monitoring;

namespace MLwatch.Query;

/// <summary>Live drift monitoring of the served models, by model name: what the dashboard reads (tests substitute it).</summary>
public interface IModelDriftSource
{
    /// <summary>Recent windows, the open window and active alerts of <paramref name="model"/>; null for a model not served.</summary>
    Task<ModelDriftSnapshot?> GetDriftAsync(string model);

    /// <summary>Alert history of every served model (or of <paramref name="model"/> only; none for a model not served), newest first.</summary>
    Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(string? model = null);
}
