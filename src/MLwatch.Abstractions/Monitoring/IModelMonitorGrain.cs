using Orleans.Concurrency;

namespace MLwatch.Abstractions.Monitoring;

/// <summary>Drift and accuracy monitoring of one model version; key "{model}@{version}" (see <see cref="ModelKey"/>).</summary>
public interface IModelMonitorGrain : IFlushableGrain
{
    /// <summary>Adds predictions to the open window, ignoring any record already applied; returns this activation's incarnation.</summary>
    ValueTask<Guid> ApplyPredictionsAsync(ModelPredictionBatch batch);

    /// <summary>Joins true labels to their predictions, ignoring any record already applied; returns this activation's incarnation.</summary>
    ValueTask<Guid> ApplyFeedbackAsync(LabelFeedbackBatch batch);

    /// <summary>Recent windows, the open window and active alerts; served from memory even while a flush waits for storage.</summary>
    [AlwaysInterleave]
    ValueTask<ModelDriftSnapshot> GetDriftAsync();

    /// <summary>
    /// Replaces the alert thresholds (validated by the caller) from the next window on; persisted with the monitor's state
    /// and used instead of the configured ones from then on. Returns the snapshot afterwards.
    /// </summary>
    Task<ModelDriftSnapshot> SetThresholdsAsync(DriftThresholdSettings thresholds);

    /// <summary>
    /// Clears the closed windows and the alerts now raised (with their hysteresis); closes nothing, keeps the open window,
    /// the totals, the alert history and the applied-offset marks (replays stay ignored). Returns the snapshot afterwards.
    /// </summary>
    Task<ModelDriftSnapshot> ResetAsync();

    /// <summary>Alert history, oldest first; served from memory even while a flush waits for storage.</summary>
    [AlwaysInterleave]
    ValueTask<AlertEvent[]> GetAlertsAsync();
}
