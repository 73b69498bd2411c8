namespace MLwatch.Storage.PostgreSql.Tests.Support;

/// <summary>
/// Shaped like MLwatch.Grains' LabelStatsState (an Orleans [GenerateSerializer] class with get/set properties),
/// plus the kinds it may grow into: a nested dictionary, an enum, times, and doubles that are hard to keep exact.
/// </summary>
[GenerateSerializer, Alias("mlwatch.tests.label-stats-like-state")]
public sealed class LabelStatsLikeState
{
    public const int HistogramBins = 20;

    [Id(0)] public long Count { get; set; }
    [Id(1)] public double ConfidenceSum { get; set; }
    [Id(2)] public double ConfidenceSumOfSquares { get; set; }
    [Id(3)] public double MinConfidence { get; set; }
    [Id(4)] public double MaxConfidence { get; set; }
    [Id(5)] public long[] Histogram { get; set; } = new long[HistogramBins];
    [Id(6)] public List<MinuteBucket> Minutes { get; set; } = [];
    [Id(7)] public long? LastSeenMs { get; set; }
    [Id(8)] public Dictionary<string, long> AppliedThrough { get; set; } = new(StringComparer.Ordinal);
    [Id(9)] public Dictionary<string, Dictionary<string, double>> ConfusionByTruth { get; set; } = new(StringComparer.Ordinal);
    [Id(10)] public double[] Samples { get; set; } = [];
    [Id(11)] public DriftLevel Drift { get; set; }
    [Id(12)] public DateTimeOffset? UpdatedAt { get; set; }
    [Id(13)] public string? Note { get; set; }
}

[GenerateSerializer, Alias("mlwatch.tests.minute-bucket")]
public sealed class MinuteBucket
{
    [Id(0)] public long Minute { get; set; }
    [Id(1)] public long Count { get; set; }
    [Id(2)] public double ConfidenceSum { get; set; }
}

public enum DriftLevel
{
    None,
    Warning,
    Alert,
}
