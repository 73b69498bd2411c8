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

    /// <summary>Alert history, oldest first; served from memory even while a flush waits for storage.</summary>
    [AlwaysInterleave]
    ValueTask<AlertEvent[]> GetAlertsAsync();
}
