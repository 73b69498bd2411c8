using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Stats;

/// <summary>Persisted statistics of one label (stored as one jsonb row by the PostgreSQL provider).</summary>
[GenerateSerializer, Alias("mlwatch.label-stats-state")]
public sealed class LabelStatsState : WriteBehindState
{
    /// <summary>Width of one confidence histogram bin.</summary>
    public const double HistogramBinWidth = 0.05;

    /// <summary>Number of confidence histogram bins covering [0, 1].</summary>
    public const int HistogramBins = 20;

    [Id(0)] public long Count { get; set; }
    [Id(1)] public double ConfidenceSum { get; set; }
    [Id(2)] public double ConfidenceSumOfSquares { get; set; }
    [Id(3)] public double MinConfidence { get; set; }
    [Id(4)] public double MaxConfidence { get; set; }
    [Id(5)] public long[] Histogram { get; set; } = new long[HistogramBins];
    [Id(6)] public List<MinuteCounter> Minutes { get; set; } = [];
    [Id(7)] public long? LastSeenMs { get; set; }
    [Id(8)] public long LabeledCount { get; set; }
    [Id(9)] public long CorrectCount { get; set; }
    [Id(10)] public double LatencySumMs { get; set; }

    // Id 11 held the per-partition high-water marks, now WriteBehindState.Applied (old rows are migrated on load).

    /// <summary>
    /// End-to-end latency counts per <see cref="Abstractions.Stats.LatencyHistogram"/> bin. Empty in rows written before
    /// it existed; sized on the first observation applied.
    /// </summary>
    [Id(12)] public long[] LatencyHistogram { get; set; } = [];

    /// <summary>
    /// Predictions counted without a latency (their record had no usable sent-at time nor Kafka timestamp): left out of
    /// <see cref="LatencySumMs"/> and <see cref="LatencyHistogram"/>, so one such record cannot distort them.
    /// </summary>
    [Id(13)] public long LatencyUnrecordedCount { get; set; }
}
