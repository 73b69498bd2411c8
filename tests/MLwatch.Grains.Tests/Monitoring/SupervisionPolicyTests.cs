using MLwatch.Abstractions.Models;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Grains.Models;
using MLwatch.Grains.Monitoring;

namespace MLwatch.Grains.Tests.Monitoring;

public sealed class SupervisionPolicyTests
{
    private const string Requests = "mlwatch.requests";
    private static readonly string[] Labels = ["a", "b", "c", "d"];
    private static readonly ModelKey Key = new("toy", "3");
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);

    private readonly SupervisionPolicy _policy = new() { MinRealizedAccuracy = 0.7, MinSamplesPerWindow = 200 };
    private long _offset;

    [Fact]
    public void A_window_below_the_bound_with_enough_labelled_predictions_is_a_breach_saying_what_was_passed()
    {
        var breach = _policy.Evaluate(Key, Window(3, labeled: 200, correct: 18), []);

        Assert.NotNull(breach);
        Assert.Equal((3L, "realizedAccuracy", 0.09, 0.7), (breach.Window, breach.Metric, breach.Value, breach.Bound));
        Assert.Equal("realized accuracy 0.09 < 0.70 over window 3 of toy@3 (18 of 200 labelled predictions correct, 2026-12-01 23:00:00Z to 2026-12-01 23:01:00Z)", breach.Message);
    }

    [Theory]
    [InlineData(199, 0)]    // too few labelled predictions to tell, however bad
    [InlineData(200, 140)]  // exactly at the bound
    [InlineData(1000, 930)]
    [InlineData(0, 0)]
    public void A_window_at_or_above_the_bound_or_with_too_few_labelled_predictions_is_none(long labeled, long correct) =>
        Assert.Null(_policy.Evaluate(Key, Window(1, labeled, correct), []));

    [Fact]
    public void A_window_whose_p99_latency_passes_the_bound_is_a_breach_but_only_with_enough_samples()
    {
        var policy = new SupervisionPolicy { MaxP99LatencyMs = 500, MinSamplesPerWindow = 200 };
        // 200 latencies, 2 slow: the nearest-rank p99 (the 198th) is fast; with 6 slow it is slow.
        float[] fast = [.. Enumerable.Repeat(20f, 198), 900f, 900f];
        Assert.Null(policy.Evaluate(Key, Window(1, 0, 0), fast));
        float[] slow = [.. Enumerable.Repeat(20f, 194), .. Enumerable.Repeat(900f, 6)];
        var breach = policy.Evaluate(Key, Window(2, 0, 0), slow);
        Assert.NotNull(breach);
        Assert.Equal(("p99LatencyMs", 900.0, 500.0), (breach.Metric, breach.Value, breach.Bound));
        Assert.StartsWith("p99 latency 900 ms > 500 ms over window 2 of toy@3 (200 predictions, ", breach.Message, StringComparison.Ordinal);
        Assert.Null(policy.Evaluate(Key, Window(3, 0, 0), slow[1..]));
    }

    [Fact]
    public void Without_a_bound_nothing_is_supervised_and_bad_settings_are_refused_with_their_name()
    {
        var off = new SupervisionPolicy();
        Assert.False(off.IsEnabled);
        Assert.Null(off.Evaluate(Key, Window(1, labeled: 1000, correct: 0), [.. Enumerable.Repeat(1e6f, 1000)]));

        var options = new MonitoringOptions { Supervision = { ["toy"] = new SupervisionPolicy { MinRealizedAccuracy = 1.5 } } };
        Assert.Equal("Monitoring:Supervision:toy:MinRealizedAccuracy must be in (0, 1] (was 1.5).", Assert.Throws<ArgumentException>(options.Validate).Message);
        options.Supervision["toy"] = new SupervisionPolicy { MinRealizedAccuracy = 0.5, MinSamplesPerWindow = 0 };
        Assert.Equal("Monitoring:Supervision:toy:MinSamplesPerWindow must be at least 1 (was 0).", Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void The_monitor_marks_the_breaching_window_of_a_supervised_model_once_and_a_replayed_delivery_marks_nothing()
    {
        var state = new ModelMonitorState();
        var options = new MonitoringOptions { WindowSize = 400, MinWindowCount = 100, Supervision = { ["toy"] = _policy } };
        var monitor = new ModelMonitor(state, Key, Labels, reference: null, options);

        // Unlabelled, then mostly right: no breach.
        Deliver(monitor, Predictions(400, truth: _ => -1));
        Deliver(monitor, Predictions(400, truth: i => i % 10 == 0 ? (i + 1) % 4 : i % 4));
        Assert.Null(monitor.PendingRollback);

        // Every prediction wrong.
        var wrong = Predictions(400, truth: i => (i + 1) % 4);
        Deliver(monitor, wrong);
        var breach = monitor.PendingRollback;
        Assert.NotNull(breach);
        Assert.Equal((3L, 0.0), (breach.Window, breach.Value));

        monitor.ClearPendingRollback();
        Assert.Equal(0, Deliver(monitor, wrong));
        Assert.Null(monitor.PendingRollback);

        var alert = new AlertEvent("toy@3/model-rolled-back/1/raised", "toy", "3", AlertKinds.ModelRolledBack, AlertState.Raised, breach.Metric, breach.Value, breach.Bound, breach.Window, breach.ClosedAt, "rolled back");
        Assert.True(monitor.RecordAlert(alert));
        Assert.False(monitor.RecordAlert(alert));
        Assert.Single(state.Alerts);

        // Another model is not supervised.
        var other = new ModelMonitor(new ModelMonitorState(), new ModelKey("other", "1"), Labels, reference: null, options);
        Deliver(other, Predictions(400, truth: i => (i + 1) % 4));
        Assert.Null(other.PendingRollback);
    }

    [Fact]
    public void A_window_whose_error_rate_passes_the_bound_is_a_breach_but_only_with_enough_records()
    {
        var policy = new SupervisionPolicy { MaxErrorRate = 0.1, MinSamplesPerWindow = 200 };
        Assert.Null(policy.Evaluate(Key, Window(1, 0, 0, count: 180, refused: 20), []));
        var breach = policy.Evaluate(Key, Window(2, 0, 0, count: 150, refused: 50), []);
        Assert.NotNull(breach);
        Assert.Equal(("errorRate", 0.25, 0.1), (breach.Metric, breach.Value, breach.Bound));
        Assert.StartsWith("error rate 0.250 > 0.100 over window 2 of toy@3 (50 of 200 records refused, ", breach.Message, StringComparison.Ordinal);
        Assert.Null(policy.Evaluate(Key, Window(3, 0, 0, count: 0, refused: 199), []));

        var options = new MonitoringOptions { Supervision = { ["toy"] = new SupervisionPolicy { MaxErrorRate = 1 } } };
        Assert.Equal("Monitoring:Supervision:toy:MaxErrorRate must be in [0, 1) (was 1).", Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void Records_a_version_failed_on_fill_and_close_windows_once_and_a_window_of_failures_alone_is_a_breach()
    {
        var options = new MonitoringOptions { WindowSize = 400, MinWindowCount = 100, Supervision = { ["toy"] = new SupervisionPolicy { MaxErrorRate = 0.05, MinSamplesPerWindow = 200 } } };
        var state = new ModelMonitorState();
        var monitor = new ModelMonitor(state, Key, Labels, reference: null, options);

        // 390 predictions and 10 failures close a window by count: 2.5 % errors, within the bound.
        Deliver(monitor, Predictions(390, truth: _ => -1), refused: 10);
        Assert.Equal((1, 390, 10L), (state.Windows.Count, state.Windows[0].Count, state.Windows[0].RefusedCount));
        Assert.Null(monitor.PendingRollback);

        // A version that fails on every record still closes windows, and they breach.
        var failures = Deliver(monitor, [], refused: 400);
        Assert.Equal(400, failures);
        Assert.Equal((2, 0, 400L), (state.Windows.Count, state.Windows[1].Count, state.Windows[1].RefusedCount));
        Assert.Equal(("errorRate", 1.0), (monitor.PendingRollback?.Metric, monitor.PendingRollback?.Value));

        // The same delivery again changes nothing.
        Assert.Equal(0, monitor.Apply(_lastBatch!, []).Applied);
        Assert.Equal(2, state.Windows.Count);
    }

    [Fact]
    public void An_automatic_rollback_records_why_happens_once_and_the_version_is_never_made_active_again_automatically()
    {
        var registry = new ModelRegistry(new ModelRegistryState { Model = "toy" }, TimeProvider.System);
        registry.Report("silo-a", [Passed("1"), Passed("3")], repository: true, preferredVersion: "1");
        Assert.True(registry.ApplyControl(new ModelControlCommand(ModelControlKinds.Activate, "3", "alice", "mlwatch.models", 0, 1)));
        Assert.Equal("3", registry.State.Active);

        var rollback = new ModelControlCommand(ModelControlKinds.Rollback, "3", ModelSupervisor.Actor, "mlwatch.models", 0, 2) { Automatic = true, Reason = "Rolled back automatically to version 1: realized accuracy 0.09 < 0.70 over window 1." };
        Assert.True(registry.ApplyControl(rollback));
        Assert.Equal("1", registry.State.Active);
        var version3 = registry.State.Versions["3"];
        Assert.Equal((ModelVersionState.Retired, true), (version3.State, version3.RolledBackAutomatically));
        Assert.Equal(rollback.Reason, version3.StateReason);

        // A second automatic rollback of version 3 (a replayed window) changes nothing and records nothing; a person's is refused.
        var events = registry.State.Events.Count;
        registry.ApplyControl(rollback with { Offset = 3 });
        Assert.Equal(("1", events), (registry.State.Active, registry.State.Events.Count));
        registry.ApplyControl(new ModelControlCommand(ModelControlKinds.Rollback, "3", "bob", "mlwatch.models", 0, 4));
        Assert.Equal(("1", ModelRegistryEventKinds.Refused), (registry.State.Active, registry.State.Events[^1].Kind));
        Assert.Single(registry.State.Events, e => e.Kind == ModelRegistryEventKinds.RolledBack);

        // With no version active (e.g. a registry rebuilt from the repository), the rolled-back version is not chosen even as the highest.
        var rebuilt = new ModelRegistryState { Model = "toy" };
        rebuilt.Versions["1"] = new ModelVersionEntry { Version = "1", State = ModelVersionState.Retired };
        rebuilt.Versions["3"] = new ModelVersionEntry { Version = "3", State = ModelVersionState.Retired, RolledBackAutomatically = true };
        new ModelRegistry(rebuilt, TimeProvider.System).Report("silo-b", [Passed("1"), Passed("3")], repository: true, preferredVersion: null);
        Assert.Equal("1", rebuilt.Active);
    }

    private ModelPredictionBatch? _lastBatch;

    private static DriftWindowReport Window(long index, long labeled, long correct, int? count = null, long refused = 0) =>
        new(index, Start, Start.AddMinutes(1), "count", count ?? (int)Math.Max(labeled, 1), 0, 0, 0, 1, 0, 1, 0, 0.9, labeled, correct, [], [], refused);

    private int Deliver(ModelMonitor monitor, ModelPrediction[] predictions, int refused = 0)
    {
        long[] failed = [.. Enumerable.Range(0, refused).Select(_ => _offset++)];
        long[] offsets = [.. predictions.Select(p => p.Offset), .. failed];
        _lastBatch = new ModelPredictionBatch(Requests, predictions, 0, offsets.Min(), offsets.Max(), 0, failed, 1_000);
        return monitor.Apply(_lastBatch, []).Applied;
    }

    private ModelPrediction[] Predictions(int count, Func<int, int> truth) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var offset = _offset++;
            return new ModelPrediction(0, offset, $"req-{offset}", i % 4, 0.9f, offset, truth(i));
        })];

    private static ModelVersionReport Passed(string version) =>
        new(version, "aa" + version, true, null, null) { InputName = "input", InputShape = "[N, 1, 28, 28]", OutputName = "logits", OutputShape = "[N, 10]", LabelCount = 4 };
}
