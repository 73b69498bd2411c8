using MLwatch.Abstractions.Stats;
using MLwatch.Grains.Stats;
using static MLwatch.Grains.Tests.Support.Observations;

namespace MLwatch.Grains.Tests.Stats;

public sealed class LatencyHistogramTests
{
    private static readonly LabelStatsKey Key = new("tiny", "1", "c3");

    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(0.99, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    [InlineData(1000, 40)]
    [InlineData(1e9, LatencyHistogram.Bins - 1)]
    [InlineData(double.NaN, 0)]
    public void Latencies_fall_in_log_scale_bins(double latencyMs, int bin) =>
        Assert.Equal(bin, LatencyHistogram.BinOf(latencyMs));

    [Fact]
    public void Every_bin_contains_its_own_bounds()
    {
        for (var bin = 1; bin < LatencyHistogram.Bins - 1; bin++)
        {
            Assert.Equal(bin, LatencyHistogram.BinOf(LatencyHistogram.LowerBoundMs(bin) * 1.0001));
            Assert.Equal(bin, LatencyHistogram.BinOf(LatencyHistogram.UpperBoundMs(bin) * 0.9999));
        }
    }

    [Fact]
    public void Percentiles_of_an_empty_histogram_are_unknown()
    {
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, new LabelStatsState());

        Assert.Empty(snapshot.LatencyHistogram);
        Assert.Null(snapshot.LatencyP50Ms);
        Assert.Null(snapshot.LatencyP99Ms);
    }

    [Fact]
    public void P50_and_p99_are_within_one_bin_of_the_exact_values()
    {
        // Latencies 1..1000 ms: exact p50 = 500 ms, p99 = 990 ms. A bin is 2^(1/4) ≈ 1.19 wide.
        var state = Applied([.. Enumerable.Range(1, 1000).Select(i => At(i, latencyMs: i))]);

        var snapshot = LabelStatsAggregation.ToSnapshot(Key, state);

        Assert.Equal(1000, snapshot.LatencyHistogram.Sum());
        Assert.InRange(snapshot.LatencyP50Ms!.Value, 500 / 1.19, 500 * 1.19);
        Assert.InRange(snapshot.LatencyP99Ms!.Value, 990 / 1.19, 990 * 1.19);
    }

    [Fact]
    public void A_replayed_record_is_not_counted_twice_in_the_histogram()
    {
        var state = new LabelStatsState();
        Apply(state, [At(0, latencyMs: 30), At(1, latencyMs: 40)]);
        Apply(state, [At(0, latencyMs: 30), At(1, latencyMs: 40)]);

        Assert.Equal(2, state.LatencyHistogram.Sum());
    }

    [Fact]
    public void A_row_written_before_the_histogram_existed_keeps_loading_and_grows_it_on_the_next_prediction()
    {
        var old = new LabelStatsState { Count = 5, ConfidenceSum = 2.5, LatencyHistogram = [] };

        Apply(old, [At(7, latencyMs: 12)]);

        Assert.Equal(LatencyHistogram.Bins, old.LatencyHistogram.Length);
        Assert.Equal(1, old.LatencyHistogram[LatencyHistogram.BinOf(12)]);
        Assert.Equal(6, old.Count);
    }

    [Fact]
    public void Histograms_of_several_labels_add_up_to_a_model_wide_percentile()
    {
        var fast = LabelStatsAggregation.ToSnapshot(Key, Applied([.. Enumerable.Range(0, 90).Select(i => At(i, latencyMs: 10))]));
        var slow = LabelStatsAggregation.ToSnapshot(Key, Applied([.. Enumerable.Range(0, 10).Select(i => At(i, latencyMs: 2000))]));
        var total = new long[LatencyHistogram.Bins];

        LatencyHistogram.AddInto(total, fast.LatencyHistogram);
        LatencyHistogram.AddInto(total, slow.LatencyHistogram);

        Assert.InRange(LatencyHistogram.Percentile(total, 0.5)!.Value, 10 / 1.19, 10 * 1.19);
        Assert.InRange(LatencyHistogram.Percentile(total, 0.99)!.Value, 2000 / 1.19, 2000 * 1.19);
    }
}
