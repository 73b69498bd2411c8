using MLwatch.Abstractions.Models;
using MLwatch.Grains.Models;
using MLwatch.Grains.Tests.Support;
using MLwatch.Inference.Execution;

namespace MLwatch.Grains.Tests.Models;

public sealed class ServingStatsMergeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_report_sent_twice_or_late_changes_nothing()
    {
        var state = new ModelServingStatsState();
        var first = Snapshot(T0, T0.AddSeconds(2), [100, 200]);
        var second = Snapshot(T0, T0.AddSeconds(4), [100, 200, 300]);

        Assert.True(ServingStatsMerge.Apply(state, "silo-a", first));
        Assert.True(ServingStatsMerge.Apply(state, "silo-a", second));
        var merged = ServingStatsMerge.Merge("m", "1", state.Silos);
        Assert.False(ServingStatsMerge.Apply(state, "silo-a", second));
        Assert.False(ServingStatsMerge.Apply(state, "silo-a", first));

        Assert.Equal(3, ServingStatsMerge.Merge("m", "1", state.Silos).Records);
        Assert.Equivalent(merged, ServingStatsMerge.Merge("m", "1", state.Silos));
    }

    [Fact]
    public void Silos_merge_into_exact_counts_extremes_batch_mean_and_percentiles()
    {
        var state = new ModelServingStatsState();
        // 1..1000 µs over two silos: odd ones on a, even ones on b (exact buckets below 2048 µs).
        ServingStatsMerge.Apply(state, "a", Snapshot(T0.AddSeconds(1), T0.AddSeconds(9), [.. Enumerable.Range(1, 1000).Where(v => v % 2 == 1)], errors: 3, batchSizes: new() { [1] = 100, [4] = 100 }));
        ServingStatsMerge.Apply(state, "b", Snapshot(T0, T0.AddSeconds(9), [.. Enumerable.Range(1, 1000).Where(v => v % 2 == 0)], errors: 1, batchSizes: new() { [4] = 50, [8] = 25 }));

        var stats = ServingStatsMerge.Merge("m", "1", StoredState.Reload(state).Silos);

        Assert.Equal(1000, stats.Records);
        Assert.Equal(4, stats.Errors);
        Assert.Equal(T0, stats.Since);
        Assert.Equal(0.001, stats.MinMs, 9);
        Assert.Equal(1.0, stats.MaxMs, 9);
        Assert.Equal(500.5, stats.TotalMs, 6);
        Assert.Equal(0.5005, stats.MeanMs, 9);
        Assert.Equal((0.5, 0.95, 0.99), (stats.P50Ms, stats.P95Ms, stats.P99Ms));
        Assert.Equal(275, stats.Batches);
        Assert.Equal((100 + 400 + 200 + 200) / 275.0, stats.BatchSizeMean, 9);
        Assert.Equal(new Dictionary<int, long> { [1] = 100, [4] = 150, [8] = 25 }, stats.BatchSizes);
        Assert.Equal((500L, 3L), (stats.PerSilo["a"].Records, stats.PerSilo["a"].Errors));
        Assert.Equal((500L, 1L), (stats.PerSilo["b"].Records, stats.PerSilo["b"].Errors));
    }

    [Fact]
    public void No_snapshot_merges_to_zero()
    {
        var stats = ServingStatsMerge.Merge("m", "2", new Dictionary<string, ServingSnapshot>());

        Assert.Equal((0L, 0L, 0.0, 0.0, 0.0, 0.0), (stats.Records, stats.Errors, stats.MinMs, stats.MaxMs, stats.P99Ms, stats.BatchSizeMean));
        Assert.Null(stats.Since);
    }

    private static ServingSnapshot Snapshot(DateTimeOffset since, DateTimeOffset at, long[] microseconds, long errors = 0, Dictionary<int, long>? batchSizes = null)
    {
        var histogram = new ServingLatencyHistogram();
        foreach (var us in microseconds)
        {
            histogram.RecordMicroseconds(us, 1);
        }

        var buckets = histogram.Buckets();
        return ServingStatsMerge.ToSnapshot(
            new ServingStatisticsSnapshot(
                "m",
                "1",
                since,
                microseconds.Length,
                errors,
                microseconds.Sum() / 1000.0,
                microseconds.Min() / 1000.0,
                microseconds.Max() / 1000.0,
                buckets,
                [],
                [.. (batchSizes ?? []).Select(b => (b.Key, b.Value))]),
            at);
    }
}
