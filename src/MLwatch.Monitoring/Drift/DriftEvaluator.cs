using MLwatch.Monitoring.Reference;
using MLwatch.Monitoring.Statistics;

namespace MLwatch.Monitoring.Drift;

/// <summary>Compares a window of predictions with a model's reference profile.</summary>
public static class DriftEvaluator
{
    /// <summary>
    /// reference.json stores its confidence quantiles rounded to 6 decimals (train.py), so a served confidence of
    /// 0.99999994 is listed there as 1. The window's confidences are rounded the same way before they are compared with
    /// the quantiles; otherwise the reference's point mass at 1 would sit just above the window's saturated
    /// confidences and KS would report a drift of the size of that mass on identical data.
    /// </summary>
    public const int ReferenceConfidenceDecimals = 6;

    /// <summary>
    /// Computes the drift metrics of <paramref name="window"/> against <paramref name="reference"/>: Jensen–Shannon distance,
    /// PSI and a χ² homogeneity test on the predicted-label counts; a two-sample Kolmogorov–Smirnov test and the
    /// 1-Wasserstein distance on the calibrated confidences (reference sample size <see cref="ReferenceProfile.Count"/>);
    /// the CBPE accuracy estimate; and the realized accuracy when labels have arrived.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The window holds no predictions (skip empty windows), its per-label arrays do not match the reference's labels,
    /// or a count, sum or confidence is out of range.
    /// </exception>
    public static DriftMetrics Evaluate(DriftWindow window, ReferenceProfile reference)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(reference);
        var count = Validate(window, reference);

        var expectedShares = reference.PredictedShares();
        var shares = new double[window.LabelCounts.Length];
        var labels = new LabelDrift[shares.Length];
        for (var i = 0; i < shares.Length; i++)
        {
            var labelCount = window.LabelCounts[i];
            shares[i] = (double)labelCount / count;
            var meanConfidence = labelCount == 0 ? 0 : window.LabelConfidenceSums[i] / labelCount;
            var referenceLabel = reference.Labels[i];
            labels[i] = new LabelDrift(referenceLabel.Label, shares[i], referenceLabel.PredictedShare, meanConfidence, referenceLabel.MeanConfidence);
        }

        var chiSquare = ChiSquareHomogeneity.Test(window.LabelCounts, reference.PredictedCounts());
        var confidences = RoundToReference(window.Confidences);
        var kolmogorovSmirnov = KolmogorovSmirnov.TwoSample(confidences, reference.ConfidenceQuantiles, reference.Count);
        double? realizedAccuracy = window.LabeledCount == 0 ? null : (double)window.CorrectCount / window.LabeledCount;

        return new DriftMetrics(
            (int)count,
            JensenShannon.Distance(shares, expectedShares),
            PopulationStability.Index(expectedShares, shares),
            chiSquare.Statistic,
            chiSquare.PValue,
            kolmogorovSmirnov.Statistic,
            kolmogorovSmirnov.PValue,
            Wasserstein.Distance(confidences, reference.ConfidenceQuantiles),
            PerformanceEstimation.EstimatedAccuracy(window.Confidences),
            realizedAccuracy,
            labels)
        {
            LabeledCount = window.LabeledCount,
        };
    }

    private static long Validate(DriftWindow window, ReferenceProfile reference)
    {
        ArgumentNullException.ThrowIfNull(window.LabelCounts, nameof(window));
        ArgumentNullException.ThrowIfNull(window.Confidences, nameof(window));
        ArgumentNullException.ThrowIfNull(window.LabelConfidenceSums, nameof(window));
        var labelCount = reference.Labels.Count;
        if (window.LabelCounts.Length != labelCount || window.LabelConfidenceSums.Length != labelCount)
        {
            throw new ArgumentException(
                $"The window has {window.LabelCounts.Length} label counts and {window.LabelConfidenceSums.Length} confidence sums, " +
                $"but reference {reference.Model} v{reference.Version} has {labelCount} labels.", nameof(window));
        }

        var count = 0L;
        for (var i = 0; i < labelCount; i++)
        {
            if (window.LabelCounts[i] < 0)
            {
                throw new ArgumentException($"LabelCounts[{i}] ({reference.Labels[i].Label}) is {window.LabelCounts[i]}; counts must be non-negative.", nameof(window));
            }

            var sum = window.LabelConfidenceSums[i];
            if (!double.IsFinite(sum) || sum < 0 || sum > window.LabelCounts[i] * (1 + 1e-9))
            {
                throw new ArgumentException($"LabelConfidenceSums[{i}] ({reference.Labels[i].Label}) is {sum}; it must be in [0, LabelCounts[{i}] = {window.LabelCounts[i]}].", nameof(window));
            }

            count = checked(count + window.LabelCounts[i]);
        }

        if (count == 0 || window.Confidences.Length == 0)
        {
            throw new ArgumentException($"The window holds no predictions ({count} counted, {window.Confidences.Length} confidences); skip empty windows.", nameof(window));
        }

        if (count > int.MaxValue)
        {
            throw new ArgumentException($"The window holds {count} predictions; at most {int.MaxValue} are supported.", nameof(window));
        }

        if (window.LabeledCount < 0 || window.CorrectCount < 0 || window.CorrectCount > window.LabeledCount)
        {
            throw new ArgumentException(
                $"LabeledCount is {window.LabeledCount} and CorrectCount {window.CorrectCount}; need 0 ≤ CorrectCount ≤ LabeledCount.", nameof(window));
        }

        return count;
    }

    private static double[] RoundToReference(double[] confidences)
    {
        var rounded = new double[confidences.Length];
        for (var i = 0; i < rounded.Length; i++)
        {
            rounded[i] = Math.Round(confidences[i], ReferenceConfidenceDecimals, MidpointRounding.AwayFromZero);
        }

        return rounded;
    }
}
