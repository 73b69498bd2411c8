namespace MLwatch.Abstractions.Shadow;

/// <summary>The comparison over one window (or over everything, for the total).</summary>
/// <param name="Start">Start of the window; null for the total.</param>
/// <param name="Compared">Records scored by both versions.</param>
/// <param name="Agreed">Records both gave the same top-1 label.</param>
/// <param name="MeanConfidenceDifference">Mean of candidate minus active top-1 probability.</param>
/// <param name="Labeled">Compared records that carried a known true label.</param>
/// <param name="ActiveCorrect">Labeled records the active version got right.</param>
/// <param name="CandidateCorrect">Labeled records the candidate got right.</param>
/// <param name="Confusion">Counts by active label index (rows) and candidate label index (columns).</param>
[GenerateSerializer, Immutable, Alias("mlwatch.shadow-window-snapshot")]
public sealed record ShadowWindowSnapshot(
    [property: Id(0)] DateTimeOffset? Start,
    [property: Id(1)] long Compared,
    [property: Id(2)] long Agreed,
    [property: Id(3)] double MeanConfidenceDifference,
    [property: Id(4)] long Labeled,
    [property: Id(5)] long ActiveCorrect,
    [property: Id(6)] long CandidateCorrect,
    [property: Id(7)] long[][] Confusion)
{
    /// <summary>Agreed / compared; 0 before anything was compared.</summary>
    public double AgreementRate => Compared == 0 ? 0 : (double)Agreed / Compared;

    /// <summary>The active version's accuracy on labeled records; null without any.</summary>
    public double? ActiveAccuracy => Labeled == 0 ? null : (double)ActiveCorrect / Labeled;

    /// <summary>The candidate's accuracy on labeled records; null without any.</summary>
    public double? CandidateAccuracy => Labeled == 0 ? null : (double)CandidateCorrect / Labeled;
}
