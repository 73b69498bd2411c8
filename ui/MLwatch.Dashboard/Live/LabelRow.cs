using MLwatch.Query;

namespace MLwatch.Dashboard.Live;

/// <summary>One row of the Labels table.</summary>
public sealed record LabelRow(string Label, long Count, double Share, double MeanConfidence, double MinConfidence, double MaxConfidence, double ConfidenceStdDev)
{
    /// <summary>Rows for every label of a model; shares are of the model's total.</summary>
    public static IReadOnlyList<LabelRow> From(ModelLabelStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var total = stats.Total;
        return [.. stats.Labels.Select(l => new LabelRow(
            l.Label,
            l.Count,
            total == 0 ? 0 : (double)l.Count / total,
            l.MeanConfidence,
            l.MinConfidence,
            l.MaxConfidence,
            l.ConfidenceStdDev))];
    }
}
