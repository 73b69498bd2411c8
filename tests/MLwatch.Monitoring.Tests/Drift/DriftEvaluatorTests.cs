using System.Text.Json;
using MLwatch.Monitoring.Drift;
using MLwatch.Monitoring.Statistics;

namespace MLwatch.Monitoring.Tests.Drift;

public sealed class DriftEvaluatorTests
{
    private const int WindowSize = 2000;

    private static readonly DriftThresholds Defaults = new();

    [Fact]
    public void Window_drawn_from_the_reference_shows_no_drift()
    {
        var reference = ReferenceFile.Load();
        var random = new Random(20261126);
        var window = ReferenceSampler.Window(
            reference, ReferenceSampler.Labels(reference, WindowSize, random), ReferenceSampler.Confidences(reference, WindowSize, random));

        var metrics = DriftEvaluator.Evaluate(window, reference);

        Assert.Equal(WindowSize, metrics.Count);
        Assert.InRange(metrics.JensenShannon, 0, 0.05);
        Assert.InRange(metrics.Psi, 0, 0.02);
        Assert.InRange(metrics.ChiSquarePValue, 0.05, 1);
        Assert.InRange(metrics.KolmogorovSmirnovPValue, 0.05, 1);
        Assert.InRange(metrics.Wasserstein, 0, 0.01);
        Assert.InRange(metrics.EstimatedAccuracy, 0.937395 - 0.01, 0.937395 + 0.01);
        Assert.Null(metrics.RealizedAccuracy);
        Assert.Empty(AlertRules.Breaches(metrics, reference, Defaults));
    }

    [Fact]
    public void Window_of_three_labels_is_label_drift()
    {
        var reference = ReferenceFile.Load();
        long[] counts = [400, 0, 0, 0, 300, 0, 0, 300, 0, 0];
        var confidences = ReferenceSampler.Confidences(reference, 1000, new Random(7));
        var window = ReferenceSampler.Window(reference, ReferenceSampler.Blocks(counts), confidences);

        var metrics = DriftEvaluator.Evaluate(window, reference);

        // ScipyReference/reference_values.py on the same counts against the reference's predicted shares:
        // jensenshannon(window, shares, base=2), the hand PSI, chi2_contingency([window, shares * 5000], correction=False).
        Assert.Equal(0.7048321456272625, metrics.JensenShannon, 12);
        Assert.Equal(5.706337939198614, metrics.Psi, 10);
        Assert.Equal(1707.3224410659154, metrics.ChiSquare, 8);
        Assert.InRange(metrics.ChiSquarePValue, 0, 1e-300);

        var signal = Assert.Single(AlertRules.Breaches(metrics, reference, Defaults));
        Assert.Equal(AlertKind.LabelDrift, signal.Kind);
        Assert.Equal(nameof(DriftMetrics.JensenShannon), signal.Metric);
        Assert.Equal(metrics.JensenShannon, signal.Value);
        Assert.Equal(0.1, signal.Threshold);
        Assert.Contains("largest shifts: T-shirt/top 40.0% vs 10.2%, Sneaker 30.0% vs 9.7%, Coat 30.0% vs 10.0%", signal.Message);
        Assert.EndsWith("compare recent inputs with the training data and consider retraining.", signal.Message);
    }

    [Fact]
    public void Window_of_low_confidences_is_confidence_drift_and_estimated_accuracy_drop()
    {
        var reference = ReferenceFile.Load();
        var labels = ReferenceSampler.Labels(reference, 500, new Random(3));
        var confidences = GoldenSampleBetween(500, 0.4, 0.7);
        var window = ReferenceSampler.Window(reference, labels, confidences);

        var metrics = DriftEvaluator.Evaluate(window, reference);
        var signals = AlertRules.Breaches(metrics, reference, Defaults);

        Assert.Equal(0.55, metrics.EstimatedAccuracy, 2);
        Assert.InRange(metrics.KolmogorovSmirnov, 0.8, 1);
        Assert.InRange(metrics.Wasserstein, 0.3, 0.5);
        Assert.Equal([AlertKind.ConfidenceDrift, AlertKind.EstimatedAccuracyDrop], signals.Select(signal => signal.Kind));
        Assert.Contains("Wasserstein distance", signals[0].Message);
        Assert.Equal(reference.Accuracy - Defaults.AccuracyDrop, signals[1].Threshold, 12);
    }

    [Fact]
    public void Saturated_float_confidences_match_the_references_rounded_ones()
    {
        // The served confidence is a float: a saturated softmax gives 0.99999994f where reference.json lists 1 (rounded to 6
        // decimals). Compared raw, the reference's 7% point mass at 1 sits above the whole window and KS sees drift.
        var reference = ReferenceFile.Load();
        var random = new Random(11);
        var labels = ReferenceSampler.Labels(reference, WindowSize, random);
        var confidences = ReferenceSampler.Confidences(reference, WindowSize, random)
            .Select(confidence => confidence >= 0.9999995 ? (double)0.99999994f : confidence)
            .ToArray();

        var raw = KolmogorovSmirnov.TwoSample(confidences, reference.ConfidenceQuantiles, reference.Count);
        var metrics = DriftEvaluator.Evaluate(ReferenceSampler.Window(reference, labels, confidences), reference);

        Assert.InRange(raw.PValue, 0, 0.005);
        Assert.InRange(metrics.KolmogorovSmirnovPValue, 0.05, 1);
        Assert.DoesNotContain(AlertRules.Breaches(metrics, reference, Defaults), signal => signal.Kind == AlertKind.ConfidenceDrift);
    }

    [Theory]
    [InlineData(0, 0, null, false)]
    [InlineData(50, 10, 0.2, false)]
    [InlineData(200, 160, 0.8, true)]
    [InlineData(200, 190, 0.95, false)]
    public void Realized_accuracy_needs_enough_labels(long labeled, long correct, double? expected, bool alerts)
    {
        var reference = ReferenceFile.Load();
        var random = new Random(5);
        var window = ReferenceSampler.Window(
            reference, ReferenceSampler.Labels(reference, WindowSize, random), ReferenceSampler.Confidences(reference, WindowSize, random), labeled, correct);

        var metrics = DriftEvaluator.Evaluate(window, reference);

        Assert.Equal(expected, metrics.RealizedAccuracy);
        Assert.Equal(labeled, metrics.LabeledCount);
        Assert.Equal(alerts, AlertRules.Breaches(metrics, reference, Defaults).Any(signal => signal.Kind == AlertKind.RealizedAccuracyDrop));
    }

    [Fact]
    public void Label_figures_sit_next_to_the_references_and_are_zero_when_a_label_is_absent()
    {
        var reference = ReferenceFile.Load();
        var counts = new long[10];
        var sums = new double[10];
        counts[0] = 3;
        sums[0] = 2.4;
        counts[8] = 1;
        sums[8] = 1.0;
        var window = new DriftWindow(counts, [0.7, 0.8, 0.9, 1.0], 0, 0, sums);

        var metrics = DriftEvaluator.Evaluate(window, reference);

        Assert.Equal(new LabelDrift("T-shirt/top", 0.75, 0.1016, 2.4 / 3, 0.883197), metrics.Labels[0]);
        Assert.Equal(new LabelDrift("Trouser", 0, 0.102, 0, 0.992627), metrics.Labels[1]);
        Assert.Equal(new LabelDrift("Bag", 0.25, 0.0984, 1.0, 0.991038), metrics.Labels[8]);
    }

    [Fact]
    public void Metrics_serialize_to_json()
    {
        // System.Text.Json refuses NaN and infinities by default, so this also checks every value is finite.
        var reference = ReferenceFile.Load();
        var counts = new long[10];
        counts[2] = 1;
        var metrics = DriftEvaluator.Evaluate(new DriftWindow(counts, [0.5], 0, 0, [0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0]), reference);

        var json = JsonSerializer.Serialize(metrics);

        Assert.Contains("\"RealizedAccuracy\":null", json);
        Assert.Contains("\"Label\":\"Trouser\",\"Share\":0,\"ReferenceShare\":0.102,\"MeanConfidence\":0", json);
    }

    [Fact]
    public void Rejects_empty_and_mismatched_windows()
    {
        var reference = ReferenceFile.Load();
        var empty = new DriftWindow(new long[10], [], 0, 0, new double[10]);
        var nineLabels = new DriftWindow(new long[9], [0.5], 0, 0, new double[9]);
        var moreCorrectThanLabeled = new DriftWindow([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0.5], 1, 2, [0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Contains("skip empty windows", Assert.Throws<ArgumentException>(() => DriftEvaluator.Evaluate(empty, reference)).Message);
        Assert.Contains("has 10 labels", Assert.Throws<ArgumentException>(() => DriftEvaluator.Evaluate(nineLabels, reference)).Message);
        Assert.Throws<ArgumentException>(() => DriftEvaluator.Evaluate(moreCorrectThanLabeled, reference));
    }

    private static double[] GoldenSampleBetween(int count, double low, double high) =>
        Statistics.GoldenSample.Create(count).Select(u => low + (high - low) * u).ToArray();
}
