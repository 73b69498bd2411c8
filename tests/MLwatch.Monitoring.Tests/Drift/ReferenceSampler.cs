using MLwatch.Monitoring.Drift;
using MLwatch.Monitoring.Reference;

namespace MLwatch.Monitoring.Tests.Drift;

/// <summary>Seeded windows of predictions drawn from, or deliberately away from, a reference profile.</summary>
internal static class ReferenceSampler
{
    /// <summary>Labels drawn by the reference's predicted shares.</summary>
    public static int[] Labels(ReferenceProfile reference, int count, Random random)
    {
        var shares = reference.PredictedShares();
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            var u = random.NextDouble();
            var label = 0;
            while (label < shares.Length - 1 && u >= shares[label])
            {
                u -= shares[label];
                label++;
            }

            labels[n] = label;
        }

        return labels;
    }

    /// <summary>Confidences drawn by inverse transform of the reference's piecewise-linear quantile function.</summary>
    public static double[] Confidences(ReferenceProfile reference, int count, Random random)
    {
        var quantiles = reference.ConfidenceQuantiles;
        var confidences = new double[count];
        for (var n = 0; n < count; n++)
        {
            var position = random.NextDouble() * (quantiles.Count - 1);
            var segment = (int)position;
            confidences[n] = quantiles[segment] + (quantiles[segment + 1] - quantiles[segment]) * (position - segment);
        }

        return confidences;
    }

    /// <summary>The window of predictions with these labels and confidences (paired by position).</summary>
    public static DriftWindow Window(ReferenceProfile reference, int[] labels, double[] confidences, long labeledCount = 0, long correctCount = 0)
    {
        var counts = new long[reference.Labels.Count];
        var sums = new double[reference.Labels.Count];
        for (var n = 0; n < labels.Length; n++)
        {
            counts[labels[n]]++;
            sums[labels[n]] += confidences[n];
        }

        return new DriftWindow(counts, confidences, labeledCount, correctCount, sums);
    }

    /// <summary>Labels in blocks: <paramref name="countsPerLabel"/>[i] predictions of label i.</summary>
    public static int[] Blocks(long[] countsPerLabel) =>
        countsPerLabel.SelectMany((count, label) => Enumerable.Repeat(label, (int)count)).ToArray();
}
