namespace MLwatch.Abstractions.Stats;

/// <summary>What is known about one label of one model version.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.label-stats-snapshot")]
public sealed record LabelStatsSnapshot(
    [property: Id(0)] string Model,
    [property: Id(1)] string Version,
    [property: Id(2)] string Label,
    [property: Id(3)] long Count,
    [property: Id(4)] double MeanConfidence,
    [property: Id(5)] double ConfidenceStdDev,
    [property: Id(6)] double MinConfidence,
    [property: Id(7)] double MaxConfidence,
    [property: Id(8)] long[] ConfidenceHistogram,
    [property: Id(9)] DateTimeOffset? LastSeen,
    [property: Id(10)] long LabeledCount,
    [property: Id(11)] long CorrectCount,
    [property: Id(12)] double MeanLatencyMs,
    [property: Id(13)] MinuteBucket[] Minutes)
{
    /// <summary>End-to-end latency counts per <see cref="Stats.LatencyHistogram"/> bin; empty before any latency was recorded.</summary>
    [Id(14)] public long[] LatencyHistogram { get; init; } = [];

    /// <summary>Median end-to-end latency in milliseconds (within one histogram bin), or null without data.</summary>
    public double? LatencyP50Ms => Stats.LatencyHistogram.Percentile(LatencyHistogram, 0.50);

    /// <summary>99th-percentile end-to-end latency in milliseconds (within one histogram bin), or null without data.</summary>
    public double? LatencyP99Ms => Stats.LatencyHistogram.Percentile(LatencyHistogram, 0.99);
}
