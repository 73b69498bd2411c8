using System.Globalization;
using MLwatch.Monitoring.Reference;

namespace MLwatch.Monitoring.Drift;

/// <summary>Turns one window's <see cref="DriftMetrics"/> into alert signals. Stateless: hysteresis and persistence belong to the caller.</summary>
public static class AlertRules
{
    private const string Advice = "compare recent inputs with the training data and consider retraining";
    private const int ShiftsNamed = 3;

    /// <summary>
    /// The thresholds <paramref name="metrics"/> breaches, at most one signal per <see cref="AlertKind"/>, in the enum's order:
    /// <list type="bullet">
    /// <item><see cref="AlertKind.LabelDrift"/>: Jensen–Shannon ≥ <see cref="DriftThresholds.JensenShannon"/>, or PSI ≥ <see cref="DriftThresholds.Psi"/>, or χ² p &lt; <see cref="DriftThresholds.PerTestAlpha"/>.</item>
    /// <item><see cref="AlertKind.ConfidenceDrift"/>: Kolmogorov–Smirnov p &lt; <see cref="DriftThresholds.PerTestAlpha"/>.</item>
    /// <item><see cref="AlertKind.EstimatedAccuracyDrop"/>: reference accuracy − estimated accuracy ≥ <see cref="DriftThresholds.AccuracyDrop"/>.</item>
    /// <item><see cref="AlertKind.RealizedAccuracyDrop"/>: at least <see cref="DriftThresholds.MinLabeledForRealized"/> labeled predictions and reference accuracy − realized accuracy ≥ <see cref="DriftThresholds.AccuracyDrop"/>.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">The thresholds are invalid.</exception>
    public static IReadOnlyList<AlertSignal> Breaches(DriftMetrics metrics, ReferenceProfile reference, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(thresholds);
        thresholds.Validate();

        var signals = new List<AlertSignal>(4);
        var labelDrift = LabelDrift(metrics, reference, thresholds);
        if (labelDrift is not null)
        {
            signals.Add(labelDrift);
        }

        var testAlpha = thresholds.PerTestAlpha;
        if (metrics.KolmogorovSmirnovPValue < testAlpha)
        {
            signals.Add(new AlertSignal(
                AlertKind.ConfidenceDrift,
                nameof(DriftMetrics.KolmogorovSmirnovPValue),
                metrics.KolmogorovSmirnovPValue,
                testAlpha,
                Invariant($"Calibrated confidence distribution of {reference.Model} v{reference.Version} drifted from the reference: Kolmogorov-Smirnov D = {metrics.KolmogorovSmirnov:0.###}, p = {metrics.KolmogorovSmirnovPValue:G3} < {testAlpha:G3}; Wasserstein distance {metrics.Wasserstein:0.####} (average gap between window and reference confidence quantiles); window mean confidence {metrics.EstimatedAccuracy:0.###} over {metrics.Count} predictions; {Advice}.")));
        }

        var accuracyFloor = reference.Accuracy - thresholds.AccuracyDrop;
        if (reference.Accuracy - metrics.EstimatedAccuracy >= thresholds.AccuracyDrop)
        {
            signals.Add(new AlertSignal(
                AlertKind.EstimatedAccuracyDrop,
                nameof(DriftMetrics.EstimatedAccuracy),
                metrics.EstimatedAccuracy,
                accuracyFloor,
                Invariant($"Estimated accuracy of {reference.Model} v{reference.Version} (mean calibrated confidence, CBPE) is {metrics.EstimatedAccuracy:0.###}, {reference.Accuracy - metrics.EstimatedAccuracy:0.###} below the reference accuracy {reference.Accuracy:0.###} (allowed drop {thresholds.AccuracyDrop:0.###}) over {metrics.Count} predictions; {Advice}.")));
        }

        if (metrics.RealizedAccuracy is { } realized
            && metrics.LabeledCount >= thresholds.MinLabeledForRealized
            && reference.Accuracy - realized >= thresholds.AccuracyDrop)
        {
            signals.Add(new AlertSignal(
                AlertKind.RealizedAccuracyDrop,
                nameof(DriftMetrics.RealizedAccuracy),
                realized,
                accuracyFloor,
                Invariant($"Realized accuracy of {reference.Model} v{reference.Version} is {realized:0.###} on {metrics.LabeledCount} labeled predictions, {reference.Accuracy - realized:0.###} below the reference accuracy {reference.Accuracy:0.###} (allowed drop {thresholds.AccuracyDrop:0.###}); {Advice}.")));
        }

        return signals;
    }

    private static AlertSignal? LabelDrift(DriftMetrics metrics, ReferenceProfile reference, DriftThresholds thresholds)
    {
        var testAlpha = thresholds.PerTestAlpha;
        (string Metric, double Value, double Threshold)? breach =
            metrics.JensenShannon >= thresholds.JensenShannon ? (nameof(DriftMetrics.JensenShannon), metrics.JensenShannon, thresholds.JensenShannon)
            : metrics.Psi >= thresholds.Psi ? (nameof(DriftMetrics.Psi), metrics.Psi, thresholds.Psi)
            : metrics.ChiSquarePValue < testAlpha ? (nameof(DriftMetrics.ChiSquarePValue), metrics.ChiSquarePValue, testAlpha)
            : null;
        if (breach is not { } found)
        {
            return null;
        }

        var shifts = string.Join(", ", metrics.Labels
            .OrderByDescending(label => Math.Abs(label.Share - label.ReferenceShare))
            .Take(ShiftsNamed)
            .Select(label => Invariant($"{label.Label} {label.Share:0.0%} vs {label.ReferenceShare:0.0%}")));
        var message = Invariant(
            $"Predicted label distribution of {reference.Model} v{reference.Version} drifted from the reference: Jensen-Shannon distance {metrics.JensenShannon:0.###} (threshold {thresholds.JensenShannon:0.###}), PSI {metrics.Psi:0.###} (threshold {thresholds.Psi:0.###}), chi-square p = {metrics.ChiSquarePValue:G3} (threshold {testAlpha:G3}) over {metrics.Count} predictions; largest shifts: {shifts}; {Advice}.");
        return new AlertSignal(AlertKind.LabelDrift, found.Metric, found.Value, found.Threshold, message);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
