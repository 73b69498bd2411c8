namespace MLwatch.Monitoring.Statistics;

/// <summary>The population stability index (PSI) between an expected and an actual discrete distribution.</summary>
public static class PopulationStability
{
    /// <summary>
    /// PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ), the symmetrized Kullback–Leibler divergence KL(a ‖ e) + KL(e ‖ a)
    /// (Yurdakul 2018, "Statistical properties of population stability index"). Rule of thumb: below 0.1 stable,
    /// 0.1–0.2 moderate shift, above 0.2 significant shift.
    /// Both inputs are normalized to sum 1 first (so counts may be passed); then every share equal to 0 is replaced by
    /// <paramref name="epsilon"/> so the logarithm stays finite, without renormalizing — as Evidently's PSI does with 0.0001.
    /// </summary>
    /// <param name="expectedShares">The reference distribution e.</param>
    /// <param name="actualShares">The observed distribution a.</param>
    /// <param name="epsilon">Stand-in for a share of 0; must be in (0, 1). Defaults to 1e-4.</param>
    /// <exception cref="ArgumentException">The inputs differ in length, are empty, hold a negative or non-finite weight, or sum to zero.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not in (0, 1).</exception>
    public static double Index(ReadOnlySpan<double> expectedShares, ReadOnlySpan<double> actualShares, double epsilon = 1e-4)
    {
        if (!(epsilon > 0 && epsilon < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be in (0, 1).");
        }

        DiscreteDistribution.RequireSameLength(expectedShares.Length, actualShares.Length, nameof(expectedShares), nameof(actualShares));
        var expected = DiscreteDistribution.Normalize(expectedShares, nameof(expectedShares));
        var actual = DiscreteDistribution.Normalize(actualShares, nameof(actualShares));

        var index = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var e = expected[i] == 0 ? epsilon : expected[i];
            var a = actual[i] == 0 ? epsilon : actual[i];
            index += (a - e) * Math.Log(a / e);
        }

        return index;
    }
}
