namespace MLwatch.Inference.Execution;

/// <summary>
/// One model version's cumulative serving statistics on one silo (see <see cref="VersionServingStatistics"/>).
/// Histograms are <see cref="ServingLatencyHistogram.Buckets"/>; batch sizes are (size, batches).
/// </summary>
public sealed record ServingStatisticsSnapshot(
    string Model,
    string Version,
    DateTimeOffset Since,
    long Records,
    long Errors,
    double TotalMs,
    double MinMs,
    double MaxMs,
    (long Microseconds, long Count)[] ExecutorLatency,
    (long Microseconds, long Count)[] EndToEndLatency,
    (int Size, long Batches)[] BatchSizes);
