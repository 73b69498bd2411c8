namespace MLwatch.Monitoring.Drift;

/// <summary>One threshold breach found by <see cref="AlertRules"/>.</summary>
/// <param name="Kind">What drifted.</param>
/// <param name="Metric">The <see cref="DriftMetrics"/> member that breached (the first one, when several did).</param>
/// <param name="Value">Its value.</param>
/// <param name="Threshold">
/// The threshold it crossed: a distance at or above it (JensenShannon, Psi), a p-value below it (ChiSquarePValue,
/// KolmogorovSmirnovPValue), or an accuracy at or below it (EstimatedAccuracy, RealizedAccuracy: reference accuracy − allowed drop).
/// </param>
/// <param name="Message">What drifted, by how much, and what to do; for operators.</param>
public sealed record AlertSignal(AlertKind Kind, string Metric, double Value, double Threshold, string Message);
