using MLwatch.Abstractions.Monitoring;
using MLwatch.Grains.Monitoring;
using MLwatch.Grains.Tests.Support;
using MLwatch.Monitoring.Reference;

namespace MLwatch.Grains.Tests.Monitoring;

public sealed class ModelMonitorTests
{
    private const string Requests = "mlwatch.requests";
    private const string Feedback = "mlwatch.feedback";
    private static readonly string[] Labels = ["a", "b", "c", "d"];
    private static readonly ModelKey Key = new("toy", "1");

    /// <summary>Four equally likely labels; calibrated confidences uniform on [0.8, 1] (accuracy 0.9).</summary>
    private static readonly ReferenceProfile Reference = new(
        "toy", "1", 4000, 0.9, 1.0,
        [.. Labels.Select(l => new ReferenceLabel(l, 0.25, 0.9))],
        [.. Enumerable.Range(0, 1001).Select(i => 0.8 + (0.2 * i / 1000.0))]);

    private readonly ModelMonitorState _state = new();
    private readonly MonitoringOptions _options = new() { WindowSize = 400, MinWindowCount = 100, WindowDuration = TimeSpan.FromMinutes(1) };
    private long _offset;

    private ModelMonitor Monitor() => new(_state, Key, Labels, Reference, _options);

    [Fact]
    public void A_window_closes_at_exactly_the_window_size_and_its_statistics_match_the_reference()
    {
        var monitor = Monitor();
        var events = Feed(monitor, Unshifted(399));
        Assert.Empty(_state.Windows);
        Assert.Equal(399, _state.Window.Count);

        Feed(monitor, Unshifted(1), events);
        var window = Assert.Single(_state.Windows);
        Assert.Equal(1, window.Window);
        Assert.Equal(400, window.Count);
        Assert.Equal("count", window.ClosedBy);
        Assert.Equal(0, _state.Window.Count);
        Assert.True(window.JensenShannon < 0.05, $"JS {window.JensenShannon}");
        Assert.True(window.ChiSquarePValue > 0.5, $"χ² p {window.ChiSquarePValue}");
        Assert.True(window.KolmogorovSmirnovPValue > 0.5, $"KS p {window.KolmogorovSmirnovPValue}");
        Assert.Equal(0.9, window.EstimatedAccuracy, 2);
        Assert.Empty(window.Breaches);
        Assert.Empty(events);
    }

    [Fact]
    public void A_shift_raises_its_alert_after_two_breaching_windows_and_clears_after_two_clean_ones()
    {
        var monitor = Monitor();
        var events = Feed(monitor, OnlyLabelZero(400));
        Assert.Equal(["label-drift"], _state.Windows[0].Breaches);
        Assert.Empty(events);

        events = Feed(monitor, OnlyLabelZero(400));
        var raised = Assert.Single(events);
        Assert.Equal(("label-drift", AlertState.Raised, 2L), (raised.Kind, raised.State, raised.Window));
        Assert.Equal("toy@1/label-drift/2/raised", raised.Id);
        Assert.Contains("toy@1", raised.Message, StringComparison.Ordinal);
        Assert.Single(monitor.ToSnapshot("test").ActiveAlerts);

        Assert.Empty(Feed(monitor, OnlyLabelZero(400)));
        Assert.Empty(Feed(monitor, Unshifted(400)));
        var cleared = Assert.Single(Feed(monitor, Unshifted(400)));
        Assert.Equal(("label-drift", AlertState.Cleared, 5L), (cleared.Kind, cleared.State, cleared.Window));
        // The clear reports the metric the alert was raised on, with its value in the clearing window.
        Assert.Equal(("JensenShannon", _state.Windows[^1].JensenShannon), (cleared.Metric, cleared.Value));
        Assert.Empty(monitor.ToSnapshot("test").ActiveAlerts);
        Assert.Equal([raised, cleared], _state.Alerts);
    }

    [Fact]
    public void One_breaching_window_between_clean_ones_raises_nothing()
    {
        var monitor = Monitor();
        var events = Feed(monitor, Unshifted(400));
        Feed(monitor, OnlyLabelZero(400), events);
        Feed(monitor, Unshifted(400), events);
        Feed(monitor, OnlyLabelZero(400), events);
        Feed(monitor, Unshifted(400), events);
        Assert.Empty(events);
        Assert.Equal(2, _state.Windows.Count(w => w.Breaches.Length > 0));
    }

    [Fact]
    public void Low_confidences_raise_confidence_drift_and_an_estimated_accuracy_drop()
    {
        var monitor = Monitor();
        var events = Feed(monitor, Unshifted(800, confidence: i => 0.5f + (0.2f * (i % 100) / 100f)));
        Assert.Equal(["confidence-drift", "estimated-accuracy-drop"], events.Select(e => e.Kind).Order());
        Assert.All(events, e => Assert.Equal(2, e.Window));
    }

    [Fact]
    public void Replayed_records_are_ignored()
    {
        var monitor = Monitor();
        var predictions = Unshifted(300).ToArray();
        Feed(monitor, predictions);
        var events = new List<AlertEvent>();
        Assert.Equal(0, Deliver(monitor, predictions, events));
        Assert.Equal(0, Deliver(monitor, predictions[100..200], events));
        Assert.Equal(300, _state.Predictions);
        Assert.Equal(300, _state.Window.Count);
    }

    [Fact]
    public void Deliveries_arriving_out_of_order_are_each_applied_once()
    {
        var monitor = Monitor();
        var predictions = Unshifted(300).ToArray();
        var events = new List<AlertEvent>();

        Assert.Equal(100, Deliver(monitor, predictions[200..], events));
        Assert.Equal(100, Deliver(monitor, predictions[..100], events));
        Assert.Equal(100, Deliver(monitor, predictions[100..200], events));
        Assert.Equal(0, Deliver(monitor, predictions, events));

        Assert.Equal(300, _state.Predictions);
        Assert.Equal(300, _state.Window.LabelCounts.Sum());
    }

    [Fact]
    public void Predictions_and_feedback_lost_with_an_activation_are_applied_once_when_replayed()
    {
        var predictions = Unshifted(300, truth: false).ToArray();
        var feedback = predictions.Select(p => Label(p.RequestId, p.LabelIndex)).ToArray();
        var persisted = Monitor();
        Deliver(persisted, predictions[..100], []);
        Join(persisted, feedback[..50]);
        var stored = StoredState.Write(_state);

        // The activation that applied predictions 100..199 and feedback 50..149 died before its flush; the new one
        // loads the persisted copy and gets newer records first, then the replay from the last commit.
        var state = StoredState.Read<ModelMonitorState>(stored);
        var monitor = new ModelMonitor(state, Key, Labels, Reference, _options);
        Assert.Equal(100, Deliver(monitor, predictions[200..], []));
        Assert.Equal(150, Join(monitor, feedback[150..]));
        Assert.Equal(100, Deliver(monitor, predictions[100..], []));
        Assert.Equal(100, Join(monitor, feedback[50..]));

        var snapshot = monitor.ToSnapshot("test");
        Assert.Equal(300, snapshot.Predictions);
        Assert.Equal((300L, 300L, 300L, 0L, 0), (snapshot.LabeledCount, snapshot.CorrectCount, snapshot.FeedbackJoined, snapshot.FeedbackIgnored, snapshot.FeedbackWaiting));
    }

    [Fact]
    public void The_committed_offset_compacts_what_predictions_and_feedback_left_behind()
    {
        var monitor = Monitor();
        var predictions = Unshifted(10).ToArray();
        Deliver(monitor, predictions[..2], []);
        Deliver(monitor, predictions[5..7], []);

        Deliver(monitor, predictions[8..], [], committedBefore: 8);

        Assert.Equal([new(0, 9)], _state.Applied.Partitions[$"{Requests}/0"]);
    }

    [Fact]
    public void A_window_closes_by_time_only_when_old_enough_and_holding_the_minimum_count()
    {
        var monitor = Monitor();
        Feed(monitor, Unshifted(99, atMs: 1_000));
        var events = new List<AlertEvent>();
        Assert.False(monitor.CloseIfDue(1_000 + 120_000, events));

        Feed(monitor, Unshifted(1, atMs: 2_000));
        Assert.False(monitor.CloseIfDue(1_000 + 59_999, events));
        Assert.True(monitor.CloseIfDue(1_000 + 60_000, events));
        var window = Assert.Single(_state.Windows);
        Assert.Equal(("time", 100), (window.ClosedBy, window.Count));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_000), window.StartedAt);
    }

    [Fact]
    public void Late_feedback_updates_the_closed_window_of_its_prediction_exactly_once()
    {
        var monitor = Monitor();
        var predictions = Unshifted(400, truth: false).ToList();
        Feed(monitor, predictions);
        Assert.Null(_state.Windows[0].RealizedAccuracy);

        // True label = predicted for the first 300, wrong for the next 100.
        var feedback = predictions.Select((p, i) => Label(p.RequestId, i < 300 ? p.LabelIndex : (p.LabelIndex + 1) % 4)).ToList();
        Assert.Equal(400, Join(monitor, [.. feedback]));
        Assert.Equal(0, Join(monitor, [.. feedback]));
        Assert.Equal(10, Join(monitor, [.. predictions.Take(10).Select(p => Label(p.RequestId, p.LabelIndex))]));

        var snapshot = monitor.ToSnapshot("test");
        Assert.Equal((400L, 300L, 400L, 10L), (snapshot.LabeledCount, snapshot.CorrectCount, snapshot.FeedbackJoined, snapshot.FeedbackIgnored));
        Assert.Equal(0.75, snapshot.Windows[0].RealizedAccuracy);
    }

    [Fact]
    public void Feedback_that_arrives_before_its_prediction_waits_for_it()
    {
        var monitor = Monitor();
        var predictions = Unshifted(10, truth: false).ToList();
        Join(monitor, Label(predictions[3].RequestId, predictions[3].LabelIndex));
        Assert.Equal(1, monitor.ToSnapshot("test").FeedbackWaiting);

        Feed(monitor, predictions);
        var snapshot = monitor.ToSnapshot("test");
        Assert.Equal((0L, 1L, 1L, 1L), (snapshot.FeedbackWaiting, snapshot.FeedbackJoined, snapshot.LabeledCount, snapshot.CorrectCount));
        Assert.Equal((1L, 1L), (_state.Window.LabeledCount, _state.Window.CorrectCount));
    }

    [Fact]
    public void A_ground_truth_header_labels_the_prediction_so_later_feedback_is_ignored()
    {
        var monitor = Monitor();
        var prediction = Unshifted(2).Last();
        Feed(monitor, [prediction]);
        Join(monitor, Label(prediction.RequestId, (prediction.LabelIndex + 1) % 4));
        var snapshot = monitor.ToSnapshot("test");
        Assert.Equal((1L, 1L, 0L, 1L), (snapshot.LabeledCount, snapshot.CorrectCount, snapshot.FeedbackJoined, snapshot.FeedbackIgnored));
    }

    [Fact]
    public void Remembered_predictions_are_bounded_by_the_join_capacity()
    {
        _options.FeedbackJoinCapacity = 50;
        var monitor = Monitor();
        var predictions = Unshifted(120, truth: false).ToList();
        Feed(monitor, predictions);
        Assert.Equal(50, _state.Recent.Count);
        Assert.False(_state.Recent.ContainsKey(predictions[69].RequestId));
        Assert.True(_state.Recent.ContainsKey(predictions[70].RequestId));
    }

    [Fact]
    public void Without_a_reference_windows_are_counted_but_raise_nothing()
    {
        var monitor = new ModelMonitor(_state, Key, Labels, null, _options);
        var events = Feed(monitor, OnlyLabelZero(1200));
        Assert.Empty(events);
        Assert.Equal(3, _state.Windows.Count);
        Assert.All(_state.Windows, w => Assert.Empty(w.Breaches));
        Assert.False(monitor.ToSnapshot("none").HasReference);
    }

    [Fact]
    public void A_label_index_outside_the_model_is_refused_before_anything_changes()
    {
        var monitor = Monitor();
        var bad = new ModelPrediction(0, 1, "r", 7, 0.9f, 0, -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Apply(new ModelPredictionBatch(Requests, [Unshifted(1).Single(), bad], 0, 0, 1, 0), []));
        Assert.Empty(_state.Applied.Partitions);
        Assert.Equal(0, _state.Predictions);
    }

    private List<AlertEvent> Feed(ModelMonitor monitor, IEnumerable<ModelPrediction> predictions, List<AlertEvent>? events = null)
    {
        events ??= [];
        Deliver(monitor, [.. predictions], events);
        return events;
    }

    /// <summary>Applies <paramref name="predictions"/> as one delivery covering their offsets; returns how many were applied.</summary>
    private static int Deliver(ModelMonitor monitor, ModelPrediction[] predictions, List<AlertEvent> events, long committedBefore = 0) =>
        predictions.Length == 0
            ? 0
            : monitor.Apply(new ModelPredictionBatch(Requests, predictions, 0, predictions.Min(p => p.Offset), predictions.Max(p => p.Offset), committedBefore), events).Applied;

    /// <summary>Applies <paramref name="feedback"/> as one delivery of the feedback topic covering their offsets; returns how many were applied.</summary>
    private static int Join(ModelMonitor monitor, params LabelFeedback[] feedback) =>
        monitor.ApplyFeedback(new LabelFeedbackBatch(Feedback, feedback, 0, feedback.Min(f => f.Offset), feedback.Max(f => f.Offset), 0)).Applied;

    /// <summary>Labels cycling a, b, c, d; confidences spread evenly over the reference's [0.8, 1]; correct unless the index is a multiple of 10.</summary>
    private IEnumerable<ModelPrediction> Unshifted(int count, Func<int, float>? confidence = null, bool truth = true, long atMs = 0)
    {
        for (var i = 0; i < count; i++)
        {
            var offset = _offset++;
            var label = (int)(offset % 4);
            var trueLabel = !truth ? -1 : offset % 10 == 0 ? (label + 1) % 4 : label;
            yield return new ModelPrediction(0, offset, $"req-{offset}", label, confidence?.Invoke(i) ?? 0.8f + (0.2f * ((offset * 37) % 400) / 400f), atMs, trueLabel);
        }
    }

    private IEnumerable<ModelPrediction> OnlyLabelZero(int count) =>
        Unshifted(count).Select(p => p with { LabelIndex = 0, TrueLabelIndex = 0 });

    private LabelFeedback Label(string requestId, int trueLabel) => new(0, _offset++, requestId, trueLabel);
}
