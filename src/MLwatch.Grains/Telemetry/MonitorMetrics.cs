using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Grains.Monitoring;
using MLwatch.Inference.Telemetry;

namespace MLwatch.Grains.Telemetry;

/// <summary>
/// The model monitors' latest closed window and active alerts as observable gauges (meter <see cref="MeterName"/>), per
/// model version. Pushed, not pulled: each <see cref="ModelMonitorGrain"/> activation reports its state here, on its
/// own turn, whenever it changes, and withdraws it when it deactivates. So a scrape never calls a grain (it cannot wait
/// on a busy or unreachable monitor, nor load the cluster while it changes), the values are current the moment a window
/// closes, and each model version is reported by exactly one silo, the one hosting its monitor: queries need no
/// de-duplication across silos. A monitor that has not been activated since its silo started (no record, no API read
/// yet) is not reported until it is.
/// </summary>
public sealed class MonitorMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MLwatch.Monitoring";

    /// <summary>Attribute: an alert kind (<c>label-drift</c>, <c>confidence-drift</c>, <c>estimated-accuracy-drop</c>, <c>realized-accuracy-drop</c>).</summary>
    public const string AlertKind = "kind";

    private static readonly string[] KindNames = [.. AlertKinds.All.Select(AlertKinds.Name)];

    private readonly ConcurrentDictionary<ModelKey, Registration> _monitors = new();

    public MonitorMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        Window(meter, "mlwatch.drift.window", "{window}", "Index (1-based) of the latest closed monitoring window.", w => w.Window);
        Window(meter, "mlwatch.drift.js_distance", null, "Jensen–Shannon distance (base 2) of the latest window's label distribution from the reference.", w => w.JensenShannon);
        Window(meter, "mlwatch.drift.psi", null, "Population stability index of the latest window's label distribution.", w => w.Psi);
        Window(meter, "mlwatch.drift.chi_square.p_value", null, "p-value of the χ² test of the latest window's label counts against the reference.", w => w.ChiSquarePValue);
        Window(meter, "mlwatch.drift.ks.statistic", null, "Kolmogorov–Smirnov statistic of the latest window's confidences against the reference.", w => w.KolmogorovSmirnov);
        Window(meter, "mlwatch.drift.ks.p_value", null, "p-value of that Kolmogorov–Smirnov test.", w => w.KolmogorovSmirnovPValue);
        Window(meter, "mlwatch.drift.wasserstein", null, "1-Wasserstein distance of the latest window's confidences from the reference.", w => w.Wasserstein);
        Window(meter, "mlwatch.accuracy.estimated", "1", "Accuracy of the latest window estimated from calibrated confidences (CBPE), without labels.", w => w.EstimatedAccuracy);
        meter.CreateObservableGauge(
            "mlwatch.accuracy.realized",
            () => Latest().Where(r => r.Window.RealizedAccuracy is not null).Select(r => new Measurement<double>(r.Window.RealizedAccuracy!.Value, r.Tags)),
            "1",
            "Accuracy of the latest window over its predictions whose true label is known (header or feedback); absent when none is.");
        meter.CreateObservableGauge(
            "mlwatch.alerts.active",
            () => _monitors.Values.SelectMany(r => r.Reading is { } reading ? KindNames.Select(kind => Active(r, reading, kind)) : []),
            "{alert}",
            "1 while the alert of this kind is raised for the model version, else 0.");
    }

    /// <summary>Starts reporting the monitor of <paramref name="model"/>; disposing the result stops it (unless another activation took over).</summary>
    public Registration Track(ModelKey model)
    {
        var registration = new Registration(this, model);
        _monitors[model] = registration;
        return registration;
    }

    private void Window(Meter meter, string name, string? unit, string description, Func<DriftWindowReport, double> value) =>
        meter.CreateObservableGauge(name, () => Latest().Select(r => new Measurement<double>(value(r.Window), r.Tags)), unit, description);

    private IEnumerable<(DriftWindowReport Window, TagList Tags)> Latest() =>
        _monitors.Values.Select(r => (r.Reading?.Latest, r.Tags)).Where(r => r.Latest is not null).Select(r => (r.Latest!, r.Tags));

    private static Measurement<int> Active(Registration registration, MonitorReading reading, string kind)
    {
        var tags = registration.Tags;
        tags.Add(AlertKind, kind);
        return new Measurement<int>(reading.ActiveAlerts.Contains(kind) ? 1 : 0, tags);
    }

    private void Release(Registration registration) =>
        _monitors.TryRemove(new KeyValuePair<ModelKey, Registration>(registration.Model, registration));

    /// <summary>What one monitor reported last: immutable, so a scrape reads it on any thread.</summary>
    internal sealed record MonitorReading(DriftWindowReport? Latest, string[] ActiveAlerts);

    /// <summary>One monitor activation's report; the grain calls <see cref="Report"/> on its own turns.</summary>
    public sealed class Registration(MonitorMetrics owner, ModelKey model) : IDisposable
    {
        private volatile MonitorReading? _reading;

        internal ModelKey Model => model;

        internal TagList Tags { get; } = new() { { InferenceMetrics.Model, model.Model }, { InferenceMetrics.ModelVersion, model.Version } };

        internal MonitorReading? Reading => _reading;

        /// <summary>Reports the latest closed window and the alerts raised now, copied out of <paramref name="state"/>.</summary>
        public void Report(ModelMonitorState state) => _reading = new MonitorReading(
            state.Windows.Count > 0 ? state.Windows[^1] : null,
            [.. state.AlertTracks.Where(t => t.Value.Raised is not null).Select(t => t.Key)]);

        public void Dispose() => owner.Release(this);
    }
}
