using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Grains.Persistence;
using MLwatch.Grains.Telemetry;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Monitoring;

/// <summary>
/// Monitors one model version: one call per delivered batch adds its predictions to tumbling windows that are compared
/// with the reference profile as they close; late feedback is joined to its predictions. Write-behind like the label
/// grains, so a Kafka offset is committed only after the windows it fed are durable, and replays are ignored.
/// Placed on the silo that first calls it (the one that classified with that version, so it knows the version even
/// while another silo has not received it yet).
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed class ModelMonitorGrain(
    [PersistentState("modelMonitor", StorageNames.Stats)] IPersistentState<ModelMonitorState> state,
    ModelCatalog catalog,
    ReferenceProfiles references,
    IOptions<MonitoringOptions> options,
    AlertPublisher alerts,
    ModelSupervisor supervisor,
    MonitorMetrics metrics,
    TimeProvider clock)
    : WriteBehindGrain<ModelMonitorState>(state), IModelMonitorGrain
{
    /// <summary>How often a window is checked for closing by time; a fraction of the window duration, at most 10 s.</summary>
    private TimeSpan TimeCheckPeriod => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, Math.Max(TimeSpan.FromMilliseconds(200).Ticks, options.Value.WindowDuration.Ticks / 4)));

    private ModelMonitor _monitor = null!;
    private string _referenceDescription = string.Empty;
    private MonitorMetrics.Registration _gauges = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = ModelKey.Parse(this.GetPrimaryKeyString());
        if (!catalog.TryGet(key.Model, key.Version, out var model))
        {
            throw new InvalidOperationException($"Model {key} is not known to this silo; known: {string.Join(", ", catalog.Names.SelectMany(catalog.Versions).Select(m => m.ToString()))}.");
        }

        var reference = references.Get(model);
        _referenceDescription = reference.Description;
        _monitor = new ModelMonitor(State, key, model.Labels, reference.Profile, options.Value);
        this.RegisterGrainTimer(CloseWindowIfDueAsync, TimeCheckPeriod, TimeCheckPeriod);
        _gauges = metrics.Track(key);
        _gauges.Report(State);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _gauges?.Dispose();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async ValueTask<Guid> ApplyPredictionsAsync(ModelPredictionBatch batch)
    {
        var events = new List<AlertEvent>();
        if (_monitor.Apply(batch, events).Changed)
        {
            MarkChanged();
            _gauges.Report(State);
        }

        await SuperviseAsync(events);
        if (events.Count > 0)
        {
            await alerts.PublishAsync(events);
        }

        return HandOutIncarnation();
    }

    public ValueTask<Guid> ApplyFeedbackAsync(LabelFeedbackBatch batch)
    {
        if (_monitor.ApplyFeedback(batch).Changed)
        {
            MarkChanged();
            _gauges.Report(State);
        }

        return ValueTask.FromResult(HandOutIncarnation());
    }

    public ValueTask<ModelDriftSnapshot> GetDriftAsync() => ValueTask.FromResult(_monitor.ToSnapshot(_referenceDescription));

    public async Task<ModelDriftSnapshot> SetThresholdsAsync(DriftThresholdSettings thresholds)
    {
        _monitor.SetThresholds(thresholds);
        // No commit barrier asks for an administrator's change: it is written now.
        MarkChanged();
        await PersistNowAsync();
        return _monitor.ToSnapshot(_referenceDescription);
    }

    public async Task<ModelDriftSnapshot> ResetAsync()
    {
        _monitor.Reset();
        MarkChanged();
        _gauges.Report(State);
        await PersistNowAsync();
        return _monitor.ToSnapshot(_referenceDescription);
    }

    public ValueTask<AlertEvent[]> GetAlertsAsync() => ValueTask.FromResult(State.Alerts.ToArray());

    /// <summary>
    /// Acts on a window that passed a supervision bound. The breach leaves the state only together with the alert it
    /// led to (both persisted with the windows), so a crash before that replays the window and acts again, which
    /// <see cref="ModelSupervisor"/> makes harmless; when acting fails, the next delivery or timer tick tries again.
    /// </summary>
    private async Task SuperviseAsync(List<AlertEvent> events)
    {
        if (_monitor.PendingRollback is not { } breach)
        {
            return;
        }

        var key = ModelKey.Parse(this.GetPrimaryKeyString());
        var (settled, alert) = await supervisor.SuperviseAsync(key, breach, id => State.Alerts.Exists(a => a.Id == id));
        if (!settled)
        {
            return;
        }

        _monitor.ClearPendingRollback();
        MarkChanged();
        if (alert is not null && _monitor.RecordAlert(alert))
        {
            events.Add(alert);
        }
    }

    private async Task CloseWindowIfDueAsync(CancellationToken cancellationToken)
    {
        var events = new List<AlertEvent>();
        if (!_monitor.CloseIfDue(clock.GetUtcNow().ToUnixTimeMilliseconds(), events))
        {
            if (_monitor.PendingRollback is not null)
            {
                // A rollback that failed earlier is tried again without waiting for the next record.
                await SuperviseAsync(events);
                await PersistNowAsync();
                await alerts.PublishAsync(events);
            }

            return;
        }

        // No commit barrier asks for this change (no record caused it), so it is written now.
        MarkChanged();
        _gauges.Report(State);
        await SuperviseAsync(events);
        await PersistNowAsync();
        if (events.Count > 0)
        {
            await alerts.PublishAsync(events);
        }
    }
}
