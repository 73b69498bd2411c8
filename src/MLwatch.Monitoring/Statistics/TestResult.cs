namespace MLwatch.Monitoring.Statistics;

/// <summary>The outcome of a hypothesis test.</summary>
/// <param name="Statistic">The test statistic.</param>
/// <param name="PValue">Probability, under the null hypothesis (no drift), of a statistic at least this extreme; in [0, 1].</param>
public readonly record struct TestResult(double Statistic, double PValue);
