namespace MLwatch.Monitoring.Statistics;

/// <summary>The Jensen–Shannon distance between two discrete distributions.</summary>
public static class JensenShannon
{
    /// <summary>
    /// The base-2 Jensen–Shannon distance √JSD(p ‖ q), in [0, 1] (0: identical, 1: disjoint supports), where
    /// JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = ½ (p + q), KL(p ‖ m) = Σ pᵢ log₂(pᵢ / mᵢ) with 0 · log 0 = 0
    /// (Lin 1991, "Divergence measures based on the Shannon entropy"; Endres &amp; Schindelin 2003 show √JSD is a metric).
    /// Both inputs are normalized to sum 1 first, so counts may be passed. Same as
    /// <c>scipy.spatial.distance.jensenshannon(p, q, base=2)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs differ in length, are empty, hold a negative or non-finite weight, or sum to zero.</exception>
    public static double Distance(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        DiscreteDistribution.RequireSameLength(p.Length, q.Length, nameof(p), nameof(q));
        var pn = DiscreteDistribution.Normalize(p, nameof(p));
        var qn = DiscreteDistribution.Normalize(q, nameof(q));

        var divergence = 0.0;
        for (var i = 0; i < pn.Length; i++)
        {
            var m = 0.5 * (pn[i] + qn[i]);
            if (pn[i] > 0)
            {
                divergence += 0.5 * pn[i] * Math.Log2(pn[i] / m);
            }

            if (qn[i] > 0)
            {
                divergence += 0.5 * qn[i] * Math.Log2(qn[i] / m);
            }
        }

        // Rounding can leave the divergence a hair outside [0, 1].
        return Math.Sqrt(Math.Clamp(divergence, 0, 1));
    }
}
