using MLwatch.Abstractions.Models;
using MLwatch.Inference.Execution;

namespace MLwatch.Grains.Models;

/// <summary>Converts silo snapshots to and from the wire, and sums them into one version's <see cref="ModelServingStats"/>.</summary>
public static class ServingStatsMerge
{
    /// <summary>The snapshot of <paramref name="statistics"/> as a silo reports it, taken at <paramref name="now"/>.</summary>
    public static ServingSnapshot ToSnapshot(ServingStatisticsSnapshot statistics, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return new ServingSnapshot
        {
            Since = statistics.Since,
            ReportedAt = now,
            Records = statistics.Records,
            Errors = statistics.Errors,
            TotalMs = statistics.TotalMs,
            MinMs = statistics.MinMs,
            MaxMs = statistics.MaxMs,
            ExecutorLatency = ToBuckets(statistics.ExecutorLatency),
            EndToEndLatency = ToBuckets(statistics.EndToEndLatency),
            BatchSizes = statistics.BatchSizes.ToDictionary(b => b.Size, b => b.Batches),
        };
    }

    /// <summary>
    /// Replaces <paramref name="silo"/>'s snapshot in <paramref name="state"/> with <paramref name="snapshot"/>; false
    /// (nothing to write) when the one kept was taken later, or counts the same.
    /// </summary>
    public static bool Apply(ModelServingStatsState state, string silo, ServingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (state.Silos.TryGetValue(silo, out var kept)
            && (kept.ReportedAt >= snapshot.ReportedAt
                || (kept.Records == snapshot.Records && kept.Errors == snapshot.Errors && kept.EndToEndLatency.Counts.Sum() == snapshot.EndToEndLatency.Counts.Sum())))
        {
            return false;
        }

        state.Silos[silo] = snapshot;
        return true;
    }

    /// <summary>The sum of <paramref name="silos"/>' snapshots of <paramref name="model"/>@<paramref name="version"/>.</summary>
    public static ModelServingStats Merge(string model, string version, IReadOnlyDictionary<string, ServingSnapshot> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        var executor = new ServingLatencyHistogram();
        var endToEnd = new ServingLatencyHistogram();
        var batchSizes = new SortedDictionary<int, long>();
        long records = 0, errors = 0;
        double total = 0, min = double.MaxValue, max = 0;
        DateTimeOffset? since = null;
        foreach (var snapshot in silos.Values)
        {
            since = since is null || snapshot.Since < since ? snapshot.Since : since;
            records += snapshot.Records;
            errors += snapshot.Errors;
            total += snapshot.TotalMs;
            if (snapshot.Records > 0)
            {
                min = Math.Min(min, snapshot.MinMs);
                max = Math.Max(max, snapshot.MaxMs);
            }

            Add(executor, snapshot.ExecutorLatency);
            Add(endToEnd, snapshot.EndToEndLatency);
            foreach (var (size, batches) in snapshot.BatchSizes)
            {
                batchSizes[size] = batchSizes.GetValueOrDefault(size) + batches;
            }
        }

        var batchCount = batchSizes.Values.Sum();
        return new ModelServingStats(
            model,
            version,
            since,
            records,
            errors,
            total,
            records == 0 ? 0 : min,
            max,
            records == 0 ? 0 : total / records,
            executor.PercentileMs(50),
            executor.PercentileMs(95),
            executor.PercentileMs(99),
            endToEnd.PercentileMs(50),
            endToEnd.PercentileMs(95),
            endToEnd.PercentileMs(99),
            batchCount,
            batchCount == 0 ? 0 : (double)batchSizes.Sum(b => (long)b.Key * b.Value) / batchCount,
            batchSizes,
            silos.ToDictionary(s => s.Key, s => new SiloServingCounts(s.Value.Records, s.Value.Errors, s.Value.Since, s.Value.ReportedAt), StringComparer.Ordinal));
    }

    private static LatencyBuckets ToBuckets((long Microseconds, long Count)[] buckets) =>
        new() { Microseconds = [.. buckets.Select(b => b.Microseconds)], Counts = [.. buckets.Select(b => b.Count)] };

    private static void Add(ServingLatencyHistogram histogram, LatencyBuckets buckets)
    {
        for (var i = 0; i < Math.Min(buckets.Microseconds.Length, buckets.Counts.Length); i++)
        {
            histogram.RecordMicroseconds(buckets.Microseconds[i], buckets.Counts[i]);
        }
    }
}
