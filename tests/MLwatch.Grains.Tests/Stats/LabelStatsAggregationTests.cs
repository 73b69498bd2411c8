using MLwatch.Abstractions.Stats;
using MLwatch.Grains.Stats;
using MLwatch.Grains.Tests.Support;
using static MLwatch.Grains.Tests.Support.Observations;

namespace MLwatch.Grains.Tests.Stats;

public sealed class LabelStatsAggregationTests
{
    private static readonly LabelStatsKey Key = new("tiny", "1", "c3");

    [Fact]
    public void Snapshot_of_an_empty_state_is_all_zero()
    {
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, new LabelStatsState());

        Assert.Equal(("tiny", "1", "c3"), (snapshot.Model, snapshot.Version, snapshot.Label));
        Assert.Equal(0, snapshot.Count);
        Assert.Equal(0, snapshot.MeanConfidence);
        Assert.Equal(0, snapshot.ConfidenceStdDev);
        Assert.Equal(0, snapshot.MinConfidence);
        Assert.Equal(0, snapshot.MaxConfidence);
        Assert.Equal(new long[LabelStatsState.HistogramBins], snapshot.ConfidenceHistogram);
        Assert.Null(snapshot.LastSeen);
        Assert.Equal(0, snapshot.LabeledCount);
        Assert.Equal(0, snapshot.CorrectCount);
        Assert.Equal(0, snapshot.MeanLatencyMs);
        Assert.Empty(snapshot.Minutes);
    }

    [Fact]
    public void Count_mean_sample_std_dev_min_and_max_match_hand_computed_values()
    {
        // 0.2, 0.4, 0.6, 0.8: mean 0.5; squared deviations 0.09 + 0.01 + 0.01 + 0.09 = 0.2; sample variance 0.2 / 3.
        var state = Applied([At(0, 0.6f), At(1, 0.2f), At(2, 0.8f), At(3, 0.4f)]);

        var snapshot = LabelStatsAggregation.ToSnapshot(Key, state);

        Assert.Equal(4, snapshot.Count);
        Assert.Equal(0.5, snapshot.MeanConfidence, 6);
        Assert.Equal(Math.Sqrt(0.2 / 3), snapshot.ConfidenceStdDev, 6);
        Assert.Equal(0.2, snapshot.MinConfidence, 6);
        Assert.Equal(0.8, snapshot.MaxConfidence, 6);
    }

    [Fact]
    public void One_observation_has_zero_std_dev_and_is_its_own_min_and_max()
    {
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, Applied([At(0, 0.7f)]));

        Assert.Equal(1, snapshot.Count);
        Assert.Equal(0.7, snapshot.MeanConfidence, 6);
        Assert.Equal(0, snapshot.ConfidenceStdDev);
        Assert.Equal(0.7, snapshot.MinConfidence, 6);
        Assert.Equal(0.7, snapshot.MaxConfidence, 6);
    }

    [Fact]
    public void Identical_confidences_have_zero_std_dev_not_a_rounding_residue()
    {
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, Applied(Enumerable.Range(0, 1000).Select(i => At(i, 0.9f))));

        Assert.Equal(0.9, snapshot.MeanConfidence, 6);
        Assert.Equal(0, snapshot.ConfidenceStdDev, 6);
    }

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(0.0499f, 0)]
    [InlineData(0.05f, 1)]
    [InlineData(0.0999f, 1)]
    [InlineData(0.2499999f, 4)]
    [InlineData(0.25f, 5)]
    [InlineData(0.5f, 10)]
    [InlineData(0.75f, 15)]
    [InlineData(0.9500001f, 19)]
    [InlineData(0.9999f, 19)]
    [InlineData(1f, 19)]
    public void Histogram_bins_are_half_open_and_one_falls_in_the_last_bin(float confidence, int bin)
    {
        // Bins hold exact values: 0.25 and 0.75 are exact binary fractions; 0.05f is a little above 0.05.
        var state = Applied([At(0, confidence)]);

        var expected = new long[LabelStatsState.HistogramBins];
        expected[bin] = 1;
        Assert.Equal(expected, LabelStatsAggregation.ToSnapshot(Key, state).ConfidenceHistogram);
    }

    [Fact]
    public void Confidences_outside_zero_to_one_are_clamped()
    {
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, Applied([At(0, -0.25f), At(1, 1.5f)]));

        Assert.Equal(0, snapshot.MinConfidence);
        Assert.Equal(1, snapshot.MaxConfidence);
        Assert.Equal(0.5, snapshot.MeanConfidence);
        Assert.Equal(1, snapshot.ConfidenceHistogram[0]);
        Assert.Equal(1, snapshot.ConfidenceHistogram[^1]);
    }

    [Fact]
    public void NaN_confidence_counts_as_zero_instead_of_poisoning_the_persisted_sums()
    {
        // A broken model can output NaN scores; the label grain's sums would stay NaN forever.
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, Applied([At(0, 0.8f), At(1, float.NaN), At(2, 0.4f)]));

        Assert.Equal(3, snapshot.Count);
        Assert.Equal(0.4, snapshot.MeanConfidence, 6);
        Assert.Equal(0, snapshot.MinConfidence);
        Assert.Equal(0.8, snapshot.MaxConfidence, 6);
        Assert.False(double.IsNaN(snapshot.ConfidenceStdDev));
        Assert.Equal(1, snapshot.ConfidenceHistogram[0]);
        Assert.Equal(0.4, snapshot.Minutes.Single().MeanConfidence, 6);
    }

    [Fact]
    public void Latency_mean_treats_negative_latency_as_zero()
    {
        // A sent-at header from a clock ahead of the silo's gives a negative latency: 10 + 20 + 0 over 3.
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, Applied([At(0, latencyMs: 10), At(1, latencyMs: 20), At(2, latencyMs: -5)]));

        Assert.Equal(10, snapshot.MeanLatencyMs, 6);
    }

    [Fact]
    public void A_prediction_without_a_latency_is_counted_but_leaves_the_latency_statistics_alone()
    {
        // The record's sent-at and Kafka timestamp were both unusable: counted, no latency.
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, Applied([At(0, latencyMs: 10), At(1, latencyMs: null), At(2, latencyMs: 30), At(3, latencyMs: float.NaN)]));

        Assert.Equal(4, snapshot.Count);
        Assert.Equal(20, snapshot.MeanLatencyMs, 6);
        Assert.Equal(2, snapshot.LatencyHistogram.Sum());
    }

    [Fact]
    public void Without_any_latency_the_mean_latency_is_zero()
    {
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, Applied([At(0, latencyMs: null)]));

        Assert.Equal(1, snapshot.Count);
        Assert.Equal(0, snapshot.MeanLatencyMs);
        Assert.Null(snapshot.LatencyP50Ms);
    }

    [Fact]
    public void Labeled_and_correct_counts_ignore_observations_without_ground_truth()
    {
        var snapshot = LabelStatsAggregation.ToSnapshot(
            Key,
            Applied([At(0, isCorrect: true), At(1, isCorrect: false), At(2, isCorrect: null), At(3, isCorrect: true)]));

        Assert.Equal(4, snapshot.Count);
        Assert.Equal(3, snapshot.LabeledCount);
        Assert.Equal(2, snapshot.CorrectCount);
    }

    [Fact]
    public void Last_seen_is_the_latest_observation_even_when_it_arrived_first()
    {
        var snapshot = LabelStatsAggregation.ToSnapshot(Key, Applied([At(0, minute: OriginMinute + 5), At(1, minute: OriginMinute)]));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(((OriginMinute + 5) * 60_000) + 1_000), snapshot.LastSeen);
    }

    [Fact]
    public void Minute_buckets_are_ordered_by_minute_when_minutes_arrive_out_of_order()
    {
        var state = Applied(
        [
            At(0, 0.2f, minute: OriginMinute + 2),
            At(1, 0.4f, minute: OriginMinute),
            At(2, 0.6f, minute: OriginMinute + 1),
            At(3, 0.8f, minute: OriginMinute + 2),
            At(4, 0.9f, minute: OriginMinute),
        ]);

        var minutes = LabelStatsAggregation.ToSnapshot(Key, state).Minutes;

        Assert.Equal([Minute(0), Minute(1), Minute(2)], minutes.Select(m => m.Minute));
        Assert.Equal([2L, 1L, 2L], minutes.Select(m => m.Count));
        Assert.Equal(0.65, minutes[0].MeanConfidence, 6);
        Assert.Equal(0.6, minutes[1].MeanConfidence, 6);
        Assert.Equal(0.5, minutes[2].MeanConfidence, 6);
    }

    [Fact]
    public void Minute_buckets_keep_the_last_24_hours_of_the_newest_minute()
    {
        var day = (long)LabelStatsAggregation.MinuteRetention.TotalMinutes;
        var state = Applied([At(0, minute: OriginMinute), At(1, minute: OriginMinute + 1), At(2, minute: OriginMinute + day)]);

        Assert.Equal([Minute(1), Minute(day)], LabelStatsAggregation.ToSnapshot(Key, state).Minutes.Select(m => m.Minute));
        Assert.Equal(1440, day);
    }

    [Fact]
    public void A_late_observation_older_than_the_retention_counts_but_gets_no_bucket()
    {
        var day = (long)LabelStatsAggregation.MinuteRetention.TotalMinutes;
        var state = Applied([At(0, minute: OriginMinute + day), At(1, minute: OriginMinute)]);

        var snapshot = LabelStatsAggregation.ToSnapshot(Key, state);

        Assert.Equal(2, snapshot.Count);
        Assert.Equal([Minute(day)], snapshot.Minutes.Select(m => m.Minute));
        Assert.Equal(1, snapshot.Minutes.Single().Count);
    }

    [Fact]
    public void Snapshot_histogram_is_a_copy_of_the_state()
    {
        var state = Applied([At(0, 0.5f)]);

        var snapshot = LabelStatsAggregation.ToSnapshot(Key, state);
        Observations.Apply(state, [At(1, 0.5f)]);

        Assert.Equal(1, snapshot.ConfidenceHistogram[10]);
        Assert.Equal(2, state.Histogram[10]);
    }

    private static DateTimeOffset Minute(long minutesAfterOrigin) => DateTimeOffset.FromUnixTimeMilliseconds((OriginMinute + minutesAfterOrigin) * 60_000);
}
