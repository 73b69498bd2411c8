namespace MLwatch.Monitoring.Drift;

/// <summary>One label's figures in a window next to the reference's.</summary>
/// <param name="Label">The label's name.</param>
/// <param name="Share">Fraction of the window's predictions that were this label.</param>
/// <param name="ReferenceShare">Fraction of the reference predictions that were this label.</param>
/// <param name="MeanConfidence">
/// Mean calibrated top-1 confidence of the window's predictions of this label; 0 when the window has none (<paramref name="Share"/> = 0).
/// 0 cannot be a real mean (a top-1 confidence over k labels is at least 1/k), and unlike NaN it serializes to JSON.
/// </param>
/// <param name="ReferenceMeanConfidence">Mean calibrated top-1 confidence of the reference predictions of this label.</param>
public sealed record LabelDrift(string Label, double Share, double ReferenceShare, double MeanConfidence, double ReferenceMeanConfidence);
