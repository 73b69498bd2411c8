using MLwatch.Abstractions.Stats;

namespace MLwatch.Query;

/// <summary>All labels of one model version.</summary>
public sealed record ModelLabelStats(string Model, string Version, IReadOnlyList<LabelStatsSnapshot> Labels)
{
    /// <summary>Predictions over all labels.</summary>
    public long Total => Labels.Sum(l => l.Count);

    /// <summary>Predictions whose ground truth was known.</summary>
    public long Labeled => Labels.Sum(l => l.LabeledCount);

    /// <summary>Share of labeled predictions that were right, or null when none was labeled.</summary>
    public double? Accuracy => Labeled == 0 ? null : (double)Labels.Sum(l => l.CorrectCount) / Labeled;
}
