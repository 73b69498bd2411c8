using Microsoft.AspNetCore.Components;
using MLwatch.Abstractions.Stats;
using MLwatch.Dashboard.Live;
using MLwatch.Query;
using MLwatch.Streaming.Kafka;
using MudBlazor;

namespace MLwatch.Dashboard.Components.Pages;

/// <summary>The whole cluster at a glance: totals, rate, latency, dead letters, models and silos.</summary>
public sealed partial class Overview
{
    private readonly LineChartOptions _sparklineOptions = new() { ShowLegend = false, ShowToolTips = false, YAxisLines = false, XAxisLines = false };
    private RateTracker? _rate;

    /// <summary>One served model's totals.</summary>
    public sealed record ModelSummary(string Name, string Version, int Labels, long Total, double? Accuracy, double? LatencyP50Ms, double? LatencyP99Ms);

    [Inject] private IModelStatsSource Stats { get; set; } = default!;

    [Inject] private IClusterStatusSource Cluster { get; set; } = default!;

    [Inject] private TimeProvider Clock { get; set; } = default!;

    internal IReadOnlyList<ModelSummary> Models { get; private set; } = [];

    internal IReadOnlyList<SiloSummary> Silos { get; private set; } = [];

    /// <summary>Every partition the silos receive, with the silo's name, ordered by topic and partition.</summary>
    internal IReadOnlyList<(string Silo, KafkaPartitionStatus Status)> Partitions { get; private set; } = [];

    internal long Total { get; private set; }

    internal long DeadLettered { get; private set; }

    internal double? LatencyP50Ms { get; private set; }

    internal double? LatencyP99Ms { get; private set; }

    internal RateTracker Rate => _rate ??= new RateTracker(Options.Value.RateHistory);

    internal List<ChartSeries<double>> RateSeries { get; } = [];

    internal string[] RateLabels { get; private set; } = [];

    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var served = Stats.ServedModels;
        var models = await Task.WhenAll(served.Select(m => Stats.GetLabelsAsync(m.Name)));
        var deadLetters = await Stats.GetDeadLettersAsync();
        Silos = await Cluster.GetSilosAsync();
        Partitions = [.. Silos
            .SelectMany(silo => silo.PartitionStatus.Select(status => (silo.Name, status)))
            .OrderBy(p => p.status.Topic, StringComparer.Ordinal)
            .ThenBy(p => p.status.Partition)];

        var latency = new long[LatencyHistogram.Bins];
        var summaries = new List<ModelSummary>();
        foreach (var stats in models.OfType<ModelLabelStats>())
        {
            var modelLatency = new long[LatencyHistogram.Bins];
            foreach (var label in stats.Labels)
            {
                LatencyHistogram.AddInto(modelLatency, label.LatencyHistogram);
            }

            LatencyHistogram.AddInto(latency, modelLatency);
            summaries.Add(new ModelSummary(
                stats.Model,
                stats.Version,
                stats.Labels.Count,
                stats.Total,
                stats.Accuracy,
                LatencyHistogram.Percentile(modelLatency, 0.5),
                LatencyHistogram.Percentile(modelLatency, 0.99)));
        }

        Models = summaries;
        Total = summaries.Sum(m => m.Total);
        DeadLettered = deadLetters.Values.Sum();
        LatencyP50Ms = LatencyHistogram.Percentile(latency, 0.5);
        LatencyP99Ms = LatencyHistogram.Percentile(latency, 0.99);

        Rate.Add(Clock.GetUtcNow(), Total + DeadLettered);
        RateSeries.Clear();
        RateSeries.Add(new ChartSeries<double> { Name = "records/s", Data = Rate.History.Select(r => r.Rate).ToArray() });
        RateLabels = [.. Rate.History.Select(_ => "")];
    }

    /// <summary>"stalled", "flowing" (records wait and move) or "idle" (nothing waits).</summary>
    internal static string State(KafkaPartitionStatus partition) =>
        partition.Stalled ? "stalled" : partition.Waiting == KafkaBacklogStage.None ? "idle" : "flowing";

    private static Color StateColor(KafkaPartitionStatus partition) =>
        partition.Stalled ? Color.Warning : partition.Waiting == KafkaBacklogStage.None ? Color.Default : Color.Success;
}
