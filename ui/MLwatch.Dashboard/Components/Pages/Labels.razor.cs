using System.Globalization;
using Microsoft.AspNetCore.Components;
using MLwatch.Dashboard.Live;
using MLwatch.Query;
using MudBlazor;

namespace MLwatch.Dashboard.Components.Pages;

/// <summary>Every label of one model: a sortable, filterable, virtualized table and bar charts of the busiest labels.</summary>
public sealed partial class Labels
{
    private readonly BarChartOptions _barOptions = new() { ShowLegend = false, XAxisLabelRotation = 45 };
    private readonly BarChartOptions _confidenceOptions = new() { ShowLegend = false, XAxisLabelRotation = 45, YAxisSuggestedMax = 100 };

    [Parameter] public string Model { get; set; } = "";

    [Inject] private IModelStatsSource Stats { get; set; } = default!;

    internal bool Found { get; private set; } = true;

    internal string? Version { get; private set; }

    internal IReadOnlyList<LabelRow> Rows { get; private set; } = [];

    internal long Total { get; private set; }

    /// <summary>The quick filter: a case-insensitive substring of the label.</summary>
    internal string? Filter { get; set; }

    internal List<ChartSeries<double>> FrequencySeries { get; } = [];

    internal List<ChartSeries<double>> ConfidenceSeries { get; } = [];

    internal string[] ChartLabels { get; private set; } = [];

    internal string ChartCaption { get; private set; } = "";

    internal bool MatchesFilter(LabelRow row) =>
        string.IsNullOrWhiteSpace(Filter) || row.Label.Contains(Filter.Trim(), StringComparison.OrdinalIgnoreCase);

    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var stats = await Stats.GetLabelsAsync(Model);
        Found = stats is not null;
        if (stats is null)
        {
            Rows = [];
            Total = 0;
            return;
        }

        Version = stats.Version;
        Rows = LabelRow.From(stats);
        Total = stats.Total;

        var charted = Rows.Where(r => r.Count > 0)
            .OrderByDescending(r => r.Count)
            .ThenBy(r => r.Label, StringComparer.Ordinal)
            .Take(Options.Value.ChartedLabels)
            .ToList();
        ChartLabels = [.. charted.Select(r => r.Label)];
        FrequencySeries.Clear();
        FrequencySeries.Add(new ChartSeries<double> { Name = "Predictions", Data = charted.Select(r => (double)r.Count).ToArray() });
        ConfidenceSeries.Clear();
        ConfidenceSeries.Add(new ChartSeries<double> { Name = "Mean confidence (%)", Data = charted.Select(r => Math.Round(r.MeanConfidence * 100, 1)).ToArray() });
        var predicted = Rows.Count(r => r.Count > 0);
        ChartCaption = charted.Count < predicted
            ? string.Create(CultureInfo.InvariantCulture, $"Charts show the top {charted.Count} of {predicted} predicted labels by count; the table has all {Rows.Count}.")
            : string.Create(CultureInfo.InvariantCulture, $"Charts show all {charted.Count} predicted labels, busiest first.");
    }
}
