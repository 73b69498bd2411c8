namespace MLwatch.Abstractions.Monitoring;

/// <summary>One closed monitoring window compared with the model's reference profile.</summary>
/// <param name="Window">1-based index of the window.</param>
/// <param name="StartedAt">First prediction of the window.</param>
/// <param name="ClosedAt">When it closed.</param>
/// <param name="ClosedBy">"count" (it reached the window size) or "time" (it reached the window duration).</param>
/// <param name="Count">Predictions in the window.</param>
/// <param name="JensenShannon">Jensen–Shannon distance (base 2) of the label distribution from the reference.</param>
/// <param name="Psi">Population stability index of the label distribution.</param>
/// <param name="ChiSquare">χ² statistic of the window's label counts against the reference counts.</param>
/// <param name="ChiSquarePValue">Its p-value.</param>
/// <param name="KolmogorovSmirnov">Two-sample Kolmogorov–Smirnov statistic of the confidences against the reference.</param>
/// <param name="KolmogorovSmirnovPValue">Its p-value.</param>
/// <param name="Wasserstein">1-Wasserstein distance of the confidences from the reference.</param>
/// <param name="EstimatedAccuracy">Accuracy estimated from calibrated confidences, without labels.</param>
/// <param name="LabeledCount">Predictions of the window whose true label is known (header or later feedback).</param>
/// <param name="CorrectCount">Of those, the correct ones.</param>
/// <param name="Labels">Per-label shares and confidences against the reference.</param>
/// <param name="Breaches">Alert kinds whose condition held in this window.</param>
/// <param name="RefusedCount">Records of the window the version failed on (NaN or infinite scores): its errors, beside <paramref name="Count"/> predictions.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.drift-window-report")]
public sealed record DriftWindowReport(
    [property: Id(0)] long Window,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset ClosedAt,
    [property: Id(3)] string ClosedBy,
    [property: Id(4)] int Count,
    [property: Id(5)] double JensenShannon,
    [property: Id(6)] double Psi,
    [property: Id(7)] double ChiSquare,
    [property: Id(8)] double ChiSquarePValue,
    [property: Id(9)] double KolmogorovSmirnov,
    [property: Id(10)] double KolmogorovSmirnovPValue,
    [property: Id(11)] double Wasserstein,
    [property: Id(12)] double EstimatedAccuracy,
    [property: Id(13)] long LabeledCount,
    [property: Id(14)] long CorrectCount,
    [property: Id(15)] LabelDriftReport[] Labels,
    [property: Id(16)] string[] Breaches,
    [property: Id(17)] long RefusedCount = 0)
{
    /// <summary>Accuracy on the predictions whose true label is known; null when none is.</summary>
    public double? RealizedAccuracy => LabeledCount == 0 ? null : (double)CorrectCount / LabeledCount;
}
