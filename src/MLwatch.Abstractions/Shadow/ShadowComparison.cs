namespace MLwatch.Abstractions.Shadow;

/// <summary>One record scored by both the active version and the candidate.</summary>
/// <param name="Offset">Kafka offset of the record (its partition is the batch's).</param>
/// <param name="ActiveLabel">Top-1 label index of the active version.</param>
/// <param name="CandidateLabel">Top-1 label index of the candidate.</param>
/// <param name="ActiveConfidence">Top-1 probability of the active version.</param>
/// <param name="CandidateConfidence">Top-1 probability of the candidate.</param>
/// <param name="TrueLabel">Index of the mlwatch-label header's label; -1 when the record carried none (or an unknown one).</param>
/// <param name="ObservedAtMs">When both answers were in, Unix milliseconds: chooses the window.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.shadow-comparison")]
public readonly record struct ShadowComparison(
    [property: Id(0)] long Offset,
    [property: Id(1)] int ActiveLabel,
    [property: Id(2)] int CandidateLabel,
    [property: Id(3)] float ActiveConfidence,
    [property: Id(4)] float CandidateConfidence,
    [property: Id(5)] int TrueLabel,
    [property: Id(6)] long ObservedAtMs);
