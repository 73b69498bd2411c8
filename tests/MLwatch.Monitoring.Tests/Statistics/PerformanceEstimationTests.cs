using MLwatch.Monitoring.Statistics;

namespace MLwatch.Monitoring.Tests.Statistics;

public sealed class PerformanceEstimationTests
{
    [Fact]
    public void Is_the_mean_calibrated_confidence()
    {
        Assert.Equal(0.85, PerformanceEstimation.EstimatedAccuracy([0.9, 0.8, 1.0, 0.7]), 14);
    }

    [Fact]
    public void Equals_realized_accuracy_when_confidences_are_calibrated()
    {
        // 10 predictions at 0.9 of which 9 right, 10 at 0.6 of which 6 right: calibrated, accuracy 15/20 = 0.75.
        var confidences = Enumerable.Repeat(0.9, 10).Concat(Enumerable.Repeat(0.6, 10)).ToArray();

        Assert.Equal(15.0 / 20.0, PerformanceEstimation.EstimatedAccuracy(confidences), 14);
    }

    [Fact]
    public void Rejects_empty_and_out_of_range_confidences()
    {
        Assert.Throws<ArgumentException>(() => PerformanceEstimation.EstimatedAccuracy([]));
        Assert.Throws<ArgumentException>(() => PerformanceEstimation.EstimatedAccuracy([0.5, 1.2]));
        Assert.Throws<ArgumentException>(() => PerformanceEstimation.EstimatedAccuracy([double.NaN]));
    }
}
