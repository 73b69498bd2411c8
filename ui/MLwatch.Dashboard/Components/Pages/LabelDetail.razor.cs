using System.Globalization;
using Microsoft.AspNetCore.Components;
using MLwatch.Abstractions.Stats;
using MLwatch.Query;
using MudBlazor;

namespace MLwatch.Dashboard.Components.Pages;

/// <summary>One label over time: per-minute count and mean confidence, and its confidence histogram.</summary>
public sealed partial class LabelDetail
{
    /// <summary>How many of the most recent minutes the line charts show.</summary>
    internal const int ChartedMinutes = 60;

    private readonly LineChartOptions _lineOptions = new() { ShowLegend = false, ShowDataMarkers = true };
    private readonly LineChartOptions _confidenceOptions = new() { ShowLegend = false, ShowDataMarkers = true, YAxisSuggestedMax = 100 };
    private readonly BarChartOptions _barOptions = new() { ShowLegend = false, XAxisLabelRotation = 45 };
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter] public string Model { get; set; } = "";

    [Parameter] public string Label { get; set; } = "";

    [Inject] private IModelStatsSource Stats { get; set; } = default!;

    internal string LabelName => Uri.UnescapeDataString(Label);

    internal LabelStatsSnapshot? Snapshot { get; private set; }

    internal List<ChartSeries<double>> CountSeries { get; } = [];

    internal List<ChartSeries<double>> MeanSeries { get; } = [];

    internal string[] MinuteLabels { get; private set; } = [];

    internal List<ChartSeries<double>> HistogramSeries { get; } = [];

    internal string[] HistogramLabels { get; private set; } = [];

    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        _breadcrumbs =
        [
            new BreadcrumbItem("Overview", href: ""),
            new BreadcrumbItem(Model, href: DashboardLinks.Labels(Model)),
            new BreadcrumbItem(LabelName, href: null, disabled: true),
        ];
        Snapshot = await Stats.GetLabelAsync(Model, LabelName);
        if (Snapshot is null)
        {
            return;
        }

        var minutes = Snapshot.Minutes.TakeLast(ChartedMinutes).ToList();
        MinuteLabels = [.. minutes.Select(m => m.Minute.ToString("HH:mm", CultureInfo.InvariantCulture))];
        CountSeries.Clear();
        CountSeries.Add(new ChartSeries<double> { Name = "Predictions", Data = minutes.Select(m => (double)m.Count).ToArray() });
        MeanSeries.Clear();
        MeanSeries.Add(new ChartSeries<double> { Name = "Mean confidence (%)", Data = minutes.Select(m => Math.Round(m.MeanConfidence * 100, 1)).ToArray() });

        var bins = Snapshot.ConfidenceHistogram.Length;
        HistogramLabels = [.. Enumerable.Range(0, bins).Select(i => (i / (double)bins).ToString("F2", CultureInfo.InvariantCulture))];
        HistogramSeries.Clear();
        HistogramSeries.Add(new ChartSeries<double> { Name = "Predictions", Data = Snapshot.ConfidenceHistogram.Select(c => (double)c).ToArray() });
    }
}
