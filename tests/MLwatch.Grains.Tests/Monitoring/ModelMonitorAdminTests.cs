using MLwatch.Abstractions.Monitoring;
using MLwatch.Grains.Monitoring;
using MLwatch.Monitoring.Reference;

namespace MLwatch.Grains.Tests.Monitoring;

/// <summary>What an administrator can change on a monitor: its thresholds, and a reset of its windows and alerts.</summary>
public sealed class ModelMonitorAdminTests
{
    private const string Requests = "mlwatch.requests";
    private static readonly string[] Labels = ["a", "b", "c", "d"];
    private static readonly ReferenceProfile Reference = new(
        "toy", "1", 4000, 0.9, 1.0,
        [.. Labels.Select(l => new ReferenceLabel(l, 0.25, 0.9))],
        [.. Enumerable.Range(0, 1001).Select(i => 0.8 + (0.2 * i / 1000.0))]);

    private readonly ModelMonitorState _state = new();
    private readonly MonitoringOptions _options = new() { WindowSize = 400, MinWindowCount = 100, RaiseAfterWindows = 1 };
    private long _offset;

    private ModelMonitor Monitor() => new(_state, new ModelKey("toy", "1"), Labels, Reference, _options);

    [Fact]
    public void Thresholds_set_by_an_admin_apply_from_the_next_window_and_survive_a_new_monitor_over_the_same_state()
    {
        var monitor = Monitor();
        Assert.Equal("configured", monitor.ToSnapshot("t").ThresholdsSource);
        Assert.Empty(Feed(monitor, 400));

        monitor.SetThresholds(new DriftThresholdSettings(1e-9, 1e-9, 0.01, 0.05, 100));
        Assert.Equal(1e-9, monitor.Thresholds.JensenShannon);

        // A new activation reads the same state: the thresholds are part of it.
        var reactivated = Monitor();
        var raised = Assert.Single(Feed(reactivated, 400));
        Assert.Equal(("label-drift", AlertState.Raised, 2L), (raised.Kind, raised.State, raised.Window));
        var snapshot = reactivated.ToSnapshot("t");
        Assert.Equal("admin", snapshot.ThresholdsSource);
        Assert.Equal(1e-9, snapshot.Thresholds!.Psi);
    }

    [Fact]
    public void Invalid_thresholds_are_refused_and_change_nothing()
    {
        var monitor = Monitor();
        var error = Assert.Throws<ArgumentException>(() => monitor.SetThresholds(new DriftThresholdSettings(2, 0.2, 0.01, 0.05, 100)));
        Assert.Contains("JensenShannon", error.Message, StringComparison.Ordinal);
        Assert.Null(_state.Thresholds);
    }

    [Fact]
    public void Reset_clears_windows_and_active_alerts_but_keeps_the_open_window_totals_history_and_applied_marks()
    {
        var monitor = Monitor();
        monitor.SetThresholds(new DriftThresholdSettings(1e-9, 1e-9, 0.01, 0.05, 100));
        var predictions = Predictions(500).ToArray();
        Assert.Single(Feed(monitor, predictions));
        Assert.Single(monitor.ToSnapshot("t").ActiveAlerts);

        monitor.Reset();

        var snapshot = monitor.ToSnapshot("t");
        Assert.Empty(snapshot.Windows);
        Assert.Empty(snapshot.ActiveAlerts);
        Assert.Equal(100, snapshot.OpenWindowCount);
        Assert.Equal(500, snapshot.Predictions);
        Assert.Single(_state.Alerts);
        Assert.Equal("admin", snapshot.ThresholdsSource);

        // Exactly-once marks are kept: replaying the same records changes nothing.
        Assert.Empty(Feed(monitor, predictions));
        Assert.Equal(500, monitor.ToSnapshot("t").Predictions);
    }

    private List<AlertEvent> Feed(ModelMonitor monitor, int count) => Feed(monitor, Predictions(count));

    private static List<AlertEvent> Feed(ModelMonitor monitor, IEnumerable<ModelPrediction> predictions)
    {
        var events = new List<AlertEvent>();
        foreach (var prediction in predictions)
        {
            monitor.Apply(new ModelPredictionBatch(Requests, [prediction], prediction.Partition, prediction.Offset, prediction.Offset, 0), events);
        }

        return events;
    }

    /// <summary>Labels cycling a, b, c, d with every 25th an extra a (close to the reference, yet not exactly it); confidences spread over [0.8, 1].</summary>
    private IEnumerable<ModelPrediction> Predictions(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var offset = _offset++;
            var label = offset % 25 == 0 ? 0 : (int)(offset % 4);
            yield return new ModelPrediction(0, offset, $"req-{offset}", label, 0.8f + (0.2f * ((offset * 37) % 400) / 400f), 0, label);
        }
    }
}
