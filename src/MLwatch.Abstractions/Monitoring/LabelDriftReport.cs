namespace MLwatch.Abstractions.Monitoring;

/// <summary>One label in one window compared with the reference profile.</summary>
/// <param name="Label">Label name.</param>
/// <param name="Share">Its share of the window's predictions.</param>
/// <param name="ReferenceShare">Its share of the reference predictions.</param>
/// <param name="MeanConfidence">Mean confidence of its predictions in the window (0 when it had none).</param>
/// <param name="ReferenceMeanConfidence">Mean confidence of its reference predictions.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.label-drift-report")]
public sealed record LabelDriftReport(
    [property: Id(0)] string Label,
    [property: Id(1)] double Share,
    [property: Id(2)] double ReferenceShare,
    [property: Id(3)] double MeanConfidence,
    [property: Id(4)] double ReferenceMeanConfidence);
