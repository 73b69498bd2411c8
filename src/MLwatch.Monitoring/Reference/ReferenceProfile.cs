namespace MLwatch.Monitoring.Reference;

/// <summary>
/// What a model's predictions looked like on held-out data when it was released (models/&lt;model&gt;/reference.json):
/// the predicted-label distribution and the distribution of calibrated top-1 confidence that drift is measured against.
/// Load it with <see cref="ReferenceProfileReader.Load"/>, which validates it.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version the profile was computed for.</param>
/// <param name="Count">Number of held-out predictions the profile summarizes; the reference sample size of the tests.</param>
/// <param name="Accuracy">Top-1 accuracy on the held-out predictions, in [0, 1].</param>
/// <param name="Temperature">Calibration temperature T: confidences are softmax(logits / T).</param>
/// <param name="Labels">Per-label reference figures, in the model's label order.</param>
/// <param name="ConfidenceQuantiles">
/// Quantiles of the calibrated top-1 confidence at the evenly spaced probabilities p = i / (n − 1), i = 0 … n − 1, ascending;
/// the quantile function is taken as piecewise linear between them.
/// </param>
public sealed record ReferenceProfile(
    string Model,
    string Version,
    int Count,
    double Accuracy,
    double Temperature,
    IReadOnlyList<ReferenceLabel> Labels,
    IReadOnlyList<double> ConfidenceQuantiles)
{
    /// <summary>The predicted share of each label, in label order.</summary>
    public double[] PredictedShares()
    {
        var shares = new double[Labels.Count];
        for (var i = 0; i < shares.Length; i++)
        {
            shares[i] = Labels[i].PredictedShare;
        }

        return shares;
    }

    /// <summary>The reference's predicted counts per label (share × <see cref="Count"/>), in label order; the reference row of a contingency test.</summary>
    public double[] PredictedCounts()
    {
        var counts = PredictedShares();
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] *= Count;
        }

        return counts;
    }

    /// <summary>The position of <paramref name="label"/> in <see cref="Labels"/> (ordinal comparison), or −1 when the profile has no such label.</summary>
    public int IndexOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        for (var i = 0; i < Labels.Count; i++)
        {
            if (string.Equals(Labels[i].Label, label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
