namespace MLwatch.Abstractions.Monitoring;

/// <summary>
/// The alert thresholds a model monitor applies (the wire and storage form of MLwatch.Monitoring's DriftThresholds).
/// </summary>
/// <param name="JensenShannon">Jensen–Shannon distance of predicted-label shares at or above which labels have drifted.</param>
/// <param name="Psi">Population stability index at or above which labels have drifted.</param>
/// <param name="Alpha">Family-wise significance level of the χ² and Kolmogorov–Smirnov tests.</param>
/// <param name="AccuracyDrop">Drop below the reference accuracy (absolute) at or beyond which accuracy has dropped.</param>
/// <param name="MinLabeledForRealized">Labeled predictions a window needs before its realized accuracy is judged.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.drift-threshold-settings")]
public sealed record DriftThresholdSettings(
    [property: Id(0)] double JensenShannon,
    [property: Id(1)] double Psi,
    [property: Id(2)] double Alpha,
    [property: Id(3)] double AccuracyDrop,
    [property: Id(4)] int MinLabeledForRealized);
