using MLwatch.Abstractions.Monitoring;
using MLwatch.Grains.Persistence;
using MLwatch.Monitoring.Drift;
using MLwatch.Monitoring.Reference;

namespace MLwatch.Grains.Monitoring;

/// <summary>
/// The monitoring logic of one model version over its persisted state: tumbling windows by count and by time, each
/// compared with the reference profile, alerts raised and cleared with hysteresis, and true labels joined to
/// predictions whichever arrives first. Free of Orleans so that it can be tested directly.
/// </summary>
public sealed class ModelMonitor
{
    private readonly ModelMonitorState _state;
    private readonly ModelKey _key;
    private readonly IReadOnlyList<string> _labels;
    private readonly ReferenceProfile? _reference;
    private readonly MonitoringOptions _options;
    private readonly SupervisionPolicy? _supervision;

    public ModelMonitor(ModelMonitorState state, ModelKey key, IReadOnlyList<string> labels, ReferenceProfile? reference, MonitoringOptions options)
    {
        _state = state;
        _key = key;
        _labels = labels;
        _reference = reference;
        _options = options;
        _supervision = options.Supervision.TryGetValue(key.Model, out var policy) && policy.IsEnabled ? policy : null;
        if (_state.Window.LabelCounts.Length != labels.Count)
        {
            // A new monitor, or the model's label list changed under a half-filled window, which cannot be compared any more.
            _state.Window.Reset(labels.Count);
        }
    }

    /// <summary>Index of the window being filled (1-based).</summary>
    public long OpenWindowIndex => _state.ClosedWindows + 1;

    /// <summary>
    /// Adds the predictions of one delivery whose records were not applied already (see <see cref="AppliedOffsets"/>);
    /// alert events of windows they complete go to <paramref name="events"/>. A prediction of a label the model does not
    /// have refuses the whole delivery before anything changes.
    /// </summary>
    public (int Applied, bool Changed) Apply(ModelPredictionBatch batch, List<AlertEvent> events)
    {
        foreach (var prediction in batch.Predictions)
        {
            if (prediction.LabelIndex < 0 || prediction.LabelIndex >= _labels.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(batch), prediction.LabelIndex, $"Model {_key} has {_labels.Count} labels; predicted index {prediction.LabelIndex} is not one of them.");
            }
        }

        if (batch.RefusedOffsets is not { Length: > 0 } refused)
        {
            return _state.Applied.Apply(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, batch.CommittedBefore, batch.Predictions, p => p.Offset, p => Add(p, events));
        }

        // Refused records take their place in offset order among the predictions, so windows are cut the same on a replay.
        var records = batch.Predictions.Select(p => (p.Offset, Prediction: (ModelPrediction?)p))
            .Concat(refused.Select(offset => (Offset: offset, Prediction: (ModelPrediction?)null)))
            .OrderBy(r => r.Offset)
            .ToList();
        return _state.Applied.Apply(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, batch.CommittedBefore, records, r => r.Offset, r =>
        {
            if (r.Prediction is { } prediction)
            {
                Add(prediction, events);
            }
            else
            {
                AddRefused(batch.RefusedAtMs, events);
            }
        });
    }

    private void AddRefused(long refusedAtMs, List<AlertEvent> events)
    {
        var window = _state.Window;
        if (window.Records == 0)
        {
            window.StartedAtMs = refusedAtMs;
        }

        window.RefusedCount++;
        if (window.Records >= _options.WindowSize)
        {
            Close("count", refusedAtMs, events);
        }
    }

    /// <summary>
    /// Joins the true labels of one delivery's feedback records not applied already to their predictions (updating the
    /// window each was counted in, even a closed one); feedback for a prediction not seen yet waits for it. A prediction
    /// is labeled once: later feedback for it is ignored.
    /// </summary>
    public (int Applied, bool Changed) ApplyFeedback(LabelFeedbackBatch batch) =>
        _state.Applied.Apply(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, batch.CommittedBefore, batch.Items, f => f.Offset, AddFeedback);

    private void Add(ModelPrediction prediction, List<AlertEvent> events)
    {
        var window = _state.Window;
        if (window.Records == 0)
        {
            window.StartedAtMs = prediction.ObservedAtMs;
        }

        var confidence = float.IsFinite(prediction.Confidence) ? Math.Clamp(prediction.Confidence, 0f, 1f) : 0f;
        window.LabelCounts[prediction.LabelIndex]++;
        window.LabelConfidenceSums[prediction.LabelIndex] += confidence;
        window.Confidences.Add(confidence);
        if (float.IsFinite(prediction.LatencyMs) && prediction.LatencyMs >= 0)
        {
            window.Latencies.Add(prediction.LatencyMs);
        }

        _state.Predictions++;

        var truth = prediction.TrueLabelIndex;
        if (_state.WaitingFeedback.Remove(prediction.RequestId, out var waiting))
        {
            if (truth < 0)
            {
                truth = waiting;
                _state.FeedbackJoined++;
            }
            else
            {
                _state.FeedbackIgnored++;
            }
        }

        var labeled = truth >= 0 && truth < _labels.Count;
        if (labeled)
        {
            var correct = truth == prediction.LabelIndex;
            window.LabeledCount++;
            window.CorrectCount += correct ? 1 : 0;
            CountLabeled(prediction.LabelIndex, correct);
        }

        Remember(prediction.RequestId, new RememberedPrediction(prediction.LabelIndex, OpenWindowIndex, labeled));
        if (window.Records >= _options.WindowSize)
        {
            Close("count", prediction.ObservedAtMs, events);
        }
    }

    private void CountLabeled(int predicted, bool correct)
    {
        _state.LabeledCount++;
        _state.CorrectCount += correct ? 1 : 0;
        var counts = _state.LabeledByPrediction.GetValueOrDefault(predicted);
        _state.LabeledByPrediction[predicted] = new LabeledCounts(counts.Labeled + 1, counts.Correct + (correct ? 1 : 0));
    }

    private void AddFeedback(LabelFeedback feedback)
    {
        if (feedback.TrueLabelIndex < 0 || feedback.TrueLabelIndex >= _labels.Count)
        {
            _state.FeedbackIgnored++;
            return;
        }

        if (_state.Recent.TryGetValue(feedback.RequestId, out var prediction))
        {
            if (prediction.Labeled)
            {
                _state.FeedbackIgnored++;
                return;
            }

            _state.Recent[feedback.RequestId] = prediction with { Labeled = true };
            var correct = feedback.TrueLabelIndex == prediction.LabelIndex ? 1 : 0;
            _state.FeedbackJoined++;
            CountLabeled(prediction.LabelIndex, correct == 1);
            if (prediction.Window == OpenWindowIndex)
            {
                _state.Window.LabeledCount++;
                _state.Window.CorrectCount += correct;
            }
            else if (_state.Windows.FindIndex(w => w.Window == prediction.Window) is var index and >= 0)
            {
                var report = _state.Windows[index];
                _state.Windows[index] = report with { LabeledCount = report.LabeledCount + 1, CorrectCount = report.CorrectCount + correct };
            }

            return;
        }

        if (!_state.WaitingFeedback.TryAdd(feedback.RequestId, feedback.TrueLabelIndex))
        {
            _state.FeedbackIgnored++;
            return;
        }

        _state.WaitingOrder.Enqueue(feedback.RequestId);
        while (_state.WaitingOrder.Count > _options.FeedbackJoinCapacity)
        {
            if (_state.WaitingFeedback.Remove(_state.WaitingOrder.Dequeue()))
            {
                _state.FeedbackIgnored++;
            }
        }
    }

    /// <summary>Closes the open window when it is old enough and holds enough predictions; returns whether it closed.</summary>
    public bool CloseIfDue(long nowMs, List<AlertEvent> events)
    {
        var window = _state.Window;
        if (window.Records < _options.MinWindowCount || nowMs - window.StartedAtMs < _options.WindowDuration.TotalMilliseconds)
        {
            return false;
        }

        Close("time", nowMs, events);
        return true;
    }

    /// <summary>The last closed window that passed a supervision bound, waiting to be acted on; null when none waits.</summary>
    public SupervisionBreach? PendingRollback => _state.PendingRollback;

    /// <summary>Marks the pending breach as acted on.</summary>
    public void ClearPendingRollback() => _state.PendingRollback = null;

    /// <summary>Adds <paramref name="alert"/> to the alert history unless an event with its id is there already; true when added.</summary>
    public bool RecordAlert(AlertEvent alert)
    {
        if (_state.Alerts.Exists(a => a.Id == alert.Id))
        {
            return false;
        }

        _state.Alerts.Add(alert);
        if (_state.Alerts.Count > _options.AlertsKept)
        {
            _state.Alerts.RemoveRange(0, _state.Alerts.Count - _options.AlertsKept);
        }

        return true;
    }

    /// <summary>The monitor's current view.</summary>
    public ModelDriftSnapshot ToSnapshot(string referenceDescription) => new(
        _key.Model,
        _key.Version,
        referenceDescription,
        _reference is not null,
        _options.WindowSize,
        _options.WindowDuration,
        _state.Window.Count,
        _state.Window.Count == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(_state.Window.StartedAtMs),
        _state.Predictions,
        _state.LabeledCount,
        _state.CorrectCount,
        _state.FeedbackJoined,
        _state.WaitingFeedback.Count,
        _state.FeedbackIgnored,
        [.. _state.Windows],
        [.. _state.AlertTracks.Values.Select(t => t.Raised).OfType<AlertEvent>().OrderBy(a => a.At)],
        _state.Thresholds ?? ToSettings(_options.Thresholds),
        _state.Thresholds is null ? "configured" : "admin",
        [.. Enumerable.Range(0, _labels.Count).Select(i => _state.LabeledByPrediction.GetValueOrDefault(i))]);

    /// <summary>The thresholds in force: an administrator's, else the configured ones.</summary>
    public DriftThresholds Thresholds => _state.Thresholds is { } set ? ToDriftThresholds(set) : _options.Thresholds;

    /// <summary>Uses <paramref name="thresholds"/> from the next window on.</summary>
    /// <exception cref="ArgumentException">A threshold is out of range.</exception>
    public void SetThresholds(DriftThresholdSettings thresholds)
    {
        ToDriftThresholds(thresholds).Validate();
        _state.Thresholds = thresholds;
    }

    /// <summary>Clears closed windows and raised alerts with their hysteresis; the open window, totals, alert history and applied-offset marks stay.</summary>
    public void Reset()
    {
        _state.Windows.Clear();
        _state.AlertTracks.Clear();
    }

    public static DriftThresholds ToDriftThresholds(DriftThresholdSettings settings) => new()
    {
        JensenShannon = settings.JensenShannon,
        Psi = settings.Psi,
        Alpha = settings.Alpha,
        AccuracyDrop = settings.AccuracyDrop,
        MinLabeledForRealized = settings.MinLabeledForRealized,
    };

    public static DriftThresholdSettings ToSettings(DriftThresholds thresholds) =>
        new(thresholds.JensenShannon, thresholds.Psi, thresholds.Alpha, thresholds.AccuracyDrop, thresholds.MinLabeledForRealized);

    private void Remember(string requestId, RememberedPrediction prediction)
    {
        _state.Recent[requestId] = prediction;
        _state.RecentOrder.Enqueue(requestId);
        while (_state.RecentOrder.Count > _options.FeedbackJoinCapacity)
        {
            _state.Recent.Remove(_state.RecentOrder.Dequeue());
        }
    }

    private void Close(string closedBy, long closedAtMs, List<AlertEvent> events)
    {
        var window = _state.Window;
        var index = ++_state.ClosedWindows;
        var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(window.StartedAtMs);
        var closedAt = DateTimeOffset.FromUnixTimeMilliseconds(closedAtMs);
        // Without a reference, or with only refused records, there is no distribution to compare.
        var report = _reference is null || window.Count == 0
            ? new DriftWindowReport(index, startedAt, closedAt, closedBy, window.Count, 0, 0, 0, 1, 0, 1, 0, 0, window.LabeledCount, window.CorrectCount, [], [], window.RefusedCount)
            : Evaluate(index, startedAt, closedAt, closedBy, window, _reference, events);
        _state.Windows.Add(report);
        // Judged when the window closes: feedback that arrives later updates the report but not the verdict.
        if (_supervision?.Evaluate(_key, report, window.Latencies) is { } breach)
        {
            _state.PendingRollback = breach;
        }

        if (_state.Windows.Count > _options.WindowsKept)
        {
            _state.Windows.RemoveRange(0, _state.Windows.Count - _options.WindowsKept);
        }

        window.Reset(_labels.Count);
    }

    private DriftWindowReport Evaluate(long index, DateTimeOffset startedAt, DateTimeOffset closedAt, string closedBy, OpenWindow window, ReferenceProfile reference, List<AlertEvent> events)
    {
        var metrics = DriftEvaluator.Evaluate(
            new DriftWindow(window.LabelCounts, [.. window.Confidences.Select(c => (double)c)], window.LabeledCount, window.CorrectCount, window.LabelConfidenceSums),
            reference);
        var breaches = AlertRules.Breaches(metrics, reference, Thresholds);
        foreach (var kind in AlertKinds.All)
        {
            if (Track(kind, breaches.FirstOrDefault(b => b.Kind == kind), metrics, index, closedAt) is { } alert)
            {
                events.Add(alert);
                _state.Alerts.Add(alert);
            }
        }

        if (_state.Alerts.Count > _options.AlertsKept)
        {
            _state.Alerts.RemoveRange(0, _state.Alerts.Count - _options.AlertsKept);
        }

        return new DriftWindowReport(
            index,
            startedAt,
            closedAt,
            closedBy,
            window.Count,
            Finite(metrics.JensenShannon, 0),
            Finite(metrics.Psi, 0),
            Finite(metrics.ChiSquare, 0),
            Finite(metrics.ChiSquarePValue, 1),
            Finite(metrics.KolmogorovSmirnov, 0),
            Finite(metrics.KolmogorovSmirnovPValue, 1),
            Finite(metrics.Wasserstein, 0),
            Finite(metrics.EstimatedAccuracy, 0),
            window.LabeledCount,
            window.CorrectCount,
            [.. metrics.Labels.Select(l => new LabelDriftReport(l.Label, Finite(l.Share, 0), Finite(l.ReferenceShare, 0), Finite(l.MeanConfidence, 0), Finite(l.ReferenceMeanConfidence, 0)))],
            [.. breaches.Select(b => AlertKinds.Name(b.Kind)).Distinct()],
            window.RefusedCount);
    }

    /// <summary>Hysteresis: raise after RaiseAfterWindows breaching windows in a row, clear after ClearAfterWindows clean ones.</summary>
    private AlertEvent? Track(AlertKind kind, AlertSignal? breach, DriftMetrics metrics, long window, DateTimeOffset at)
    {
        var name = AlertKinds.Name(kind);
        if (!_state.AlertTracks.TryGetValue(name, out var track))
        {
            _state.AlertTracks[name] = track = new AlertTrack();
        }

        if (breach is not null)
        {
            track.Breaches++;
            track.Clears = 0;
            if (track.Raised is null && track.Breaches >= _options.RaiseAfterWindows)
            {
                track.Raised = new AlertEvent(
                    $"{_key}/{name}/{window}/raised", _key.Model, _key.Version, name, AlertState.Raised, breach.Metric, Finite(breach.Value, 0), breach.Threshold, window, at,
                    $"{_key}, {track.Breaches} windows in a row: {breach.Message}");
                return track.Raised;
            }

            return null;
        }

        track.Clears++;
        track.Breaches = 0;
        if (track.Raised is { } raised && track.Clears >= _options.ClearAfterWindows)
        {
            track.Raised = null;
            return new AlertEvent(
                $"{_key}/{name}/{window}/cleared", _key.Model, _key.Version, name, AlertState.Cleared, raised.Metric, Finite(ValueOf(raised.Metric, metrics), 0), raised.Threshold, window, at,
                $"{name} of {_key} cleared: within thresholds for {track.Clears} windows in a row since window {raised.Window}.");
        }

        return null;
    }

    /// <summary>The current value of the metric an alert was raised on (named as <see cref="AlertRules"/> names it).</summary>
    private static double ValueOf(string metric, DriftMetrics metrics) => metric switch
    {
        nameof(DriftMetrics.JensenShannon) => metrics.JensenShannon,
        nameof(DriftMetrics.Psi) => metrics.Psi,
        nameof(DriftMetrics.ChiSquarePValue) => metrics.ChiSquarePValue,
        nameof(DriftMetrics.KolmogorovSmirnovPValue) => metrics.KolmogorovSmirnovPValue,
        nameof(DriftMetrics.EstimatedAccuracy) => metrics.EstimatedAccuracy,
        nameof(DriftMetrics.RealizedAccuracy) => metrics.RealizedAccuracy ?? 0,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a metric alert rules raise on."),
    };

    /// <summary>JSON has no NaN or infinity; a statistic undefined for a window (e.g. a single category) gets its neutral value.</summary>
    private static double Finite(double value, double fallback) => double.IsFinite(value) ? value : fallback;
}
