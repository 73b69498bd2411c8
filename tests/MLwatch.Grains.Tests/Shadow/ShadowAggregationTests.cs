using MLwatch.Abstractions.Shadow;
using MLwatch.Grains.Shadow;

namespace MLwatch.Grains.Tests.Shadow;

public sealed class ShadowAggregationTests
{
    private static readonly ShadowComparisonKey Key = new("tiny", "1", "2");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Agreement_confusion_confidence_difference_and_accuracies_match_hand_computed_values()
    {
        var state = new ShadowComparisonState();
        // Active, candidate, truth: (0,0,0) agree, both right; (1,2,1) disagree, active right; (2,2,none) agree, unlabeled; (1,0,0) disagree, candidate right.
        ShadowAggregation.Apply(state, Batch(0, 3, At(0, 0, 0, 0.9f, 0.8f, 0), At(1, 1, 2, 0.6f, 0.7f, 1), At(2, 2, 2, 0.5f, 0.5f), At(3, 1, 0, 0.4f, 0.6f, 0)), Minute, 10);

        var total = ShadowAggregation.ToSnapshot(Key, state).Total;

        Assert.Equal((4L, 2L, 0.5), (total.Compared, total.Agreed, total.AgreementRate));
        Assert.Equal((-0.1 + 0.1 + 0 + 0.2) / 4, total.MeanConfidenceDifference, 6);
        Assert.Equal((3L, 2L, 2L), (total.Labeled, total.ActiveCorrect, total.CandidateCorrect));
        Assert.Equal(2.0 / 3, total.ActiveAccuracy!.Value, 9);
        Assert.Equal(2.0 / 3, total.CandidateAccuracy!.Value, 9);
        Assert.Equal<long[][]>([[1, 0, 0], [1, 0, 1], [0, 0, 1]], total.Confusion);
    }

    [Fact]
    public void A_redelivered_or_overlapping_batch_compares_each_record_once()
    {
        var state = new ShadowComparisonState();
        ShadowAggregation.Apply(state, Batch(0, 1, At(0, 1, 1), At(1, 1, 2)), Minute, 10);
        ShadowAggregation.Apply(state, Batch(0, 1, At(0, 1, 1), At(1, 1, 2)), Minute, 10);
        ShadowAggregation.Apply(state, Batch(1, 2, At(1, 1, 2), At(2, 0, 0)), Minute, 10);

        var snapshot = ShadowAggregation.ToSnapshot(Key, state);

        Assert.Equal((3L, 2L), (snapshot.Total.Compared, snapshot.Total.Agreed));
        Assert.Equal(3, snapshot.Windows.Sum(w => w.Compared));
    }

    [Fact]
    public void Comparisons_fall_into_aligned_windows_and_the_oldest_windows_are_dropped_while_the_total_keeps_them()
    {
        var state = new ShadowComparisonState();
        var minute = (long)Minute.TotalMilliseconds;
        ShadowAggregation.Apply(state, Batch(0, 3, At(0, 1, 1, at: 10), At(1, 1, 2, at: minute + 5), At(2, 0, 0, at: (2 * minute) + 1), At(3, 0, 1, at: minute + 7)), Minute, 2);

        var snapshot = ShadowAggregation.ToSnapshot(Key, state);

        Assert.Equal(4, snapshot.Total.Compared);
        Assert.Equal([DateTimeOffset.FromUnixTimeMilliseconds(minute), DateTimeOffset.FromUnixTimeMilliseconds(2 * minute)], snapshot.Windows.Select(w => w.Start!.Value));
        Assert.Equal([2L, 1L], snapshot.Windows.Select(w => w.Compared));
        Assert.Null(snapshot.Total.Start);
    }

    [Fact]
    public void An_empty_comparison_reports_zeros_and_no_accuracy()
    {
        var total = ShadowAggregation.ToSnapshot(Key, new ShadowComparisonState()).Total;

        Assert.Equal((0L, 0.0, 0.0), (total.Compared, total.AgreementRate, total.MeanConfidenceDifference));
        Assert.Null(total.ActiveAccuracy);
        Assert.Empty(total.Confusion);
    }

    private static ShadowComparison At(long offset, int active, int candidate, float activeConfidence = 0.5f, float candidateConfidence = 0.5f, int truth = -1, long at = 0) =>
        new(offset, active, candidate, activeConfidence, candidateConfidence, truth, at);

    private static ShadowComparisonBatch Batch(long first, long last, params ShadowComparison[] comparisons) => new("requests", comparisons, 0, first, last, 0);
}
