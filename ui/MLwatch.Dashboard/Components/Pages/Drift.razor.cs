using System.Globalization;
using Microsoft.AspNetCore.Components;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Query;
using MudBlazor;

namespace MLwatch.Dashboard.Components.Pages;

/// <summary>A model's monitoring windows against its reference profile: drift metrics and accuracy over time, alerts.</summary>
public sealed partial class Drift
{
    /// <summary>How many of the most recent windows the charts show.</summary>
    internal const int ChartedWindows = 50;

    // MudBlazor 9 spaces y-axis ticks in whole numbers, so every series is drawn ×100 (percent) and says so.
    private readonly LineChartOptions _lineOptions = new() { ShowLegend = true, ShowDataMarkers = true };
    private readonly LineChartOptions _accuracyOptions = new() { ShowLegend = true, ShowDataMarkers = true, YAxisSuggestedMax = 100 };
    private readonly BarChartOptions _barOptions = new() { ShowLegend = true, XAxisLabelRotation = 45 };

    [Parameter] public string Model { get; set; } = "";

    [Inject] private IModelDriftSource DriftSource { get; set; } = default!;

    internal ModelDriftSnapshot? Snapshot { get; private set; }

    internal DriftWindowReport? Last => Snapshot?.Windows.LastOrDefault();

    internal IReadOnlyList<AlertEvent> Alerts { get; private set; } = [];

    internal string[] WindowLabels { get; private set; } = [];

    internal List<ChartSeries<double>> LabelDriftSeries { get; } = [];

    internal List<ChartSeries<double>> ConfidenceDriftSeries { get; } = [];

    internal List<ChartSeries<double>> AccuracySeries { get; } = [];

    internal string[] ShareLabels { get; private set; } = [];

    internal List<ChartSeries<double>> ShareSeries { get; } = [];

    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        Snapshot = await DriftSource.GetDriftAsync(Model);
        if (Snapshot is null)
        {
            return;
        }

        Alerts = await DriftSource.GetAlertsAsync(Model);
        var windows = Snapshot.Windows.TakeLast(ChartedWindows).ToList();
        WindowLabels = [.. windows.Select(w => w.Window.ToString(CultureInfo.InvariantCulture))];
        Replace(LabelDriftSeries, ("Jensen–Shannon ×100", windows.Select(w => w.JensenShannon)), ("PSI ×100", windows.Select(w => w.Psi)));
        Replace(ConfidenceDriftSeries, ("KS D ×100", windows.Select(w => w.KolmogorovSmirnov)), ("Wasserstein ×100", windows.Select(w => w.Wasserstein)));
        // Realized accuracy is drawn only when every charted window has labels: a gap drawn as 0 would read as a collapse.
        Replace(
            AccuracySeries,
            windows.All(w => w.RealizedAccuracy is not null)
                ? [("Estimated (%)", windows.Select(w => w.EstimatedAccuracy)), ("Realized (%)", windows.Select(w => w.RealizedAccuracy!.Value))]
                : [("Estimated (%)", windows.Select(w => w.EstimatedAccuracy))]);

        var last = Snapshot.Windows.LastOrDefault();
        ShareLabels = last is null ? [] : [.. last.Labels.Select(l => l.Label)];
        Replace(ShareSeries, ("Window (%)", last?.Labels.Select(l => l.Share) ?? []), ("Reference (%)", last?.Labels.Select(l => l.ReferenceShare) ?? []));
    }

    private static void Replace(List<ChartSeries<double>> series, params (string Name, IEnumerable<double> Values)[] lines)
    {
        series.Clear();
        series.AddRange(lines.Select(l => new ChartSeries<double> { Name = l.Name, Data = l.Values.Select(v => Math.Round(v * 100, 2)).ToArray() }));
    }
}
