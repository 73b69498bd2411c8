using MLwatch.Monitoring.Drift;

namespace MLwatch.Monitoring.Tests.Drift;

public sealed class AlertRulesTests
{
    private static readonly DriftThresholds Defaults = new();

    /// <summary>A window that breaches nothing against the fashion-mnist reference (accuracy 0.9358).</summary>
    private static readonly DriftMetrics Quiet = new(
        Count: 1000,
        JensenShannon: 0.02,
        Psi: 0.01,
        ChiSquare: 5,
        ChiSquarePValue: 0.8,
        KolmogorovSmirnov: 0.02,
        KolmogorovSmirnovPValue: 0.7,
        Wasserstein: 0.002,
        EstimatedAccuracy: 0.93,
        RealizedAccuracy: null,
        Labels: []);

    [Fact]
    public void Quiet_window_breaches_nothing()
    {
        Assert.Empty(AlertRules.Breaches(Quiet, ReferenceFile.Load(), Defaults));
    }

    [Theory]
    [InlineData(0.1, 0.01, 0.8, nameof(DriftMetrics.JensenShannon), 0.1)]
    [InlineData(0.05, 0.2, 0.8, nameof(DriftMetrics.Psi), 0.2)]
    [InlineData(0.05, 0.1, 0.0049, nameof(DriftMetrics.ChiSquarePValue), 0.005)]
    [InlineData(0.3, 0.5, 1e-9, nameof(DriftMetrics.JensenShannon), 0.1)]
    public void Label_drift_fires_on_any_of_its_three_measures(double js, double psi, double chiSquareP, string metric, double threshold)
    {
        var metrics = Quiet with { JensenShannon = js, Psi = psi, ChiSquarePValue = chiSquareP };

        var signal = Assert.Single(AlertRules.Breaches(metrics, ReferenceFile.Load(), Defaults));

        Assert.Equal(AlertKind.LabelDrift, signal.Kind);
        Assert.Equal(metric, signal.Metric);
        Assert.Equal(threshold, signal.Threshold, 15);
    }

    [Fact]
    public void Tests_run_at_half_the_family_wise_alpha()
    {
        // Bonferroni over χ² and KS: α = 0.01 family-wise, 0.005 per test; p = 0.006 is significant alone but not here.
        var metrics = Quiet with { ChiSquarePValue = 0.006, KolmogorovSmirnovPValue = 0.006 };
        var looser = new DriftThresholds { Alpha = 0.02 };

        Assert.Empty(AlertRules.Breaches(metrics, ReferenceFile.Load(), Defaults));
        Assert.Equal(
            [AlertKind.LabelDrift, AlertKind.ConfidenceDrift],
            AlertRules.Breaches(metrics, ReferenceFile.Load(), looser).Select(signal => signal.Kind));
    }

    [Theory]
    [InlineData(0.88, true)]
    [InlineData(0.89, false)]
    public void Estimated_accuracy_drop_is_measured_from_the_reference_accuracy(double estimated, bool fires)
    {
        var signals = AlertRules.Breaches(Quiet with { EstimatedAccuracy = estimated }, ReferenceFile.Load(), Defaults);

        Assert.Equal(fires, signals.Any(signal => signal.Kind == AlertKind.EstimatedAccuracyDrop));
    }

    [Theory]
    [InlineData(0.8, 100, true)]
    [InlineData(0.8, 99, false)]
    [InlineData(0.9, 1000, false)]
    public void Realized_accuracy_drop_needs_enough_labels(double realized, long labeled, bool fires)
    {
        var metrics = Quiet with { RealizedAccuracy = realized, LabeledCount = labeled };

        var signals = AlertRules.Breaches(metrics, ReferenceFile.Load(), Defaults);

        Assert.Equal(fires, signals.Any(signal => signal.Kind == AlertKind.RealizedAccuracyDrop));
    }

    [Fact]
    public void Every_kind_fires_once_in_enum_order_with_advice()
    {
        var metrics = Quiet with
        {
            JensenShannon = 0.5,
            Psi = 3,
            ChiSquarePValue = 0,
            KolmogorovSmirnovPValue = 1e-12,
            EstimatedAccuracy = 0.6,
            RealizedAccuracy = 0.5,
            LabeledCount = 500,
        };

        var signals = AlertRules.Breaches(metrics, ReferenceFile.Load(), Defaults);

        Assert.Equal(Enum.GetValues<AlertKind>(), signals.Select(signal => signal.Kind));
        Assert.All(signals, signal => Assert.EndsWith("compare recent inputs with the training data and consider retraining.", signal.Message));
        Assert.Contains("Realized accuracy of fashion-mnist v1 is 0.5 on 500 labeled predictions", signals[3].Message);
        Assert.Equal(0.9358 - 0.05, signals[3].Threshold, 12);
    }

    [Fact]
    public void Rejects_invalid_thresholds()
    {
        var error = Assert.Throws<ArgumentException>(() => AlertRules.Breaches(Quiet, ReferenceFile.Load(), new DriftThresholds { Psi = -1 }));

        Assert.Contains("Monitoring:Thresholds:Psi", error.Message);
    }
}
