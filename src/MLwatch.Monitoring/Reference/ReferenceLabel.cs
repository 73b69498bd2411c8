namespace MLwatch.Monitoring.Reference;

/// <summary>One label of a <see cref="ReferenceProfile"/>: how often the model predicted it on held-out data, and how confidently.</summary>
/// <param name="Label">The label's name, as the model's labels.txt spells it.</param>
/// <param name="PredictedShare">Fraction of the reference predictions that were this label, in [0, 1].</param>
/// <param name="MeanConfidence">Mean calibrated top-1 confidence of the reference predictions of this label, in [0, 1].</param>
public sealed record ReferenceLabel(string Label, double PredictedShare, double MeanConfidence);
