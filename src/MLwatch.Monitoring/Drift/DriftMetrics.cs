namespace MLwatch.Monitoring.Drift;

/// <summary>
/// How far one window's predictions are from the reference profile; computed by <see cref="DriftEvaluator"/>, judged by
/// <see cref="AlertRules"/>. Every value is finite, so the record serializes to JSON.
/// </summary>
/// <param name="Count">Predictions in the window.</param>
/// <param name="JensenShannon">Base-2 Jensen–Shannon distance between the window's and the reference's predicted-label shares, in [0, 1].</param>
/// <param name="Psi">Population stability index of the predicted-label shares (reference expected, window actual).</param>
/// <param name="ChiSquare">χ² statistic of the window-vs-reference homogeneity test on predicted-label counts.</param>
/// <param name="ChiSquarePValue">Its p-value.</param>
/// <param name="KolmogorovSmirnov">Two-sample Kolmogorov–Smirnov D between the window's calibrated confidences and the reference's, in [0, 1].</param>
/// <param name="KolmogorovSmirnovPValue">Its p-value.</param>
/// <param name="Wasserstein">1-Wasserstein distance between the window's calibrated confidences and the reference's, in confidence units.</param>
/// <param name="EstimatedAccuracy">Accuracy estimated from confidences alone (CBPE: mean calibrated confidence).</param>
/// <param name="RealizedAccuracy">Accuracy on the window's predictions whose true label arrived; null when none has.</param>
/// <param name="Labels">Per-label shares and mean confidences next to the reference's, in the reference's label order.</param>
public sealed record DriftMetrics(
    int Count,
    double JensenShannon,
    double Psi,
    double ChiSquare,
    double ChiSquarePValue,
    double KolmogorovSmirnov,
    double KolmogorovSmirnovPValue,
    double Wasserstein,
    double EstimatedAccuracy,
    double? RealizedAccuracy,
    IReadOnlyList<LabelDrift> Labels)
{
    /// <summary>Predictions in the window whose true label has arrived (the sample size of <see cref="RealizedAccuracy"/>). Defaults to 0.</summary>
    public long LabeledCount { get; init; }
}
