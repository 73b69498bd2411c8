namespace MLwatch.Monitoring.Statistics;

/// <summary>The Kolmogorov–Smirnov test of a sample against a reference distribution given by its quantiles.</summary>
public static class KolmogorovSmirnov
{
    /// <summary>
    /// Two-sample Kolmogorov–Smirnov test of <paramref name="sample"/> against a reference sample of
    /// <paramref name="referenceCount"/> values summarized by <paramref name="referenceQuantiles"/>.
    /// <para>
    /// Statistic: D = supₓ |Fₙ(x) − F_ref(x)|, with Fₙ the sample's empirical CDF and F_ref the CDF of the quantile
    /// function that is linear between the quantiles, given at the evenly spaced probabilities i / (count − 1)
    /// (repeated quantiles are a jump of F_ref). D is exact: both CDFs are evaluated, with their left limits, at every
    /// sample value and every quantile, between which the difference is monotone.
    /// </para>
    /// <para>
    /// p-value: the asymptotic Kolmogorov distribution with the effective size nₑ = n·m / (n + m), n the sample size and
    /// m = <paramref name="referenceCount"/>, and Stephens' small-sample correction (Stephens 1970, as Numerical Recipes
    /// §14.3.3 uses it): p = Q_KS((√nₑ + 0.12 + 0.11 / √nₑ) · D), Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}.
    /// MathNet.Numerics has no Kolmogorov distribution, so the series is evaluated here. <c>scipy.stats.ks_2samp(method="asymp")</c>
    /// instead uses the exact one-sample distribution at round(nₑ) (<c>kstwo.sf(D, round(nₑ))</c>), which Stephens' formula
    /// approximates to about two significant digits.
    /// </para>
    /// </summary>
    /// <param name="sample">The observed values, in any order.</param>
    /// <param name="referenceQuantiles">The reference quantiles, ascending, at least 2.</param>
    /// <param name="referenceCount">Size m of the reference sample the quantiles were computed from.</param>
    /// <exception cref="ArgumentException">The sample is empty or holds a non-finite value, or the quantiles are fewer than 2, not finite or not ascending.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="referenceCount"/> is not positive.</exception>
    public static TestResult TwoSample(ReadOnlySpan<double> sample, IReadOnlyList<double> referenceQuantiles, int referenceCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(referenceCount);
        var reference = QuantileFunction.From(referenceQuantiles, nameof(referenceQuantiles));
        var sorted = SortedSample.From(sample, nameof(sample));

        var statistic = Statistic(sorted, reference);
        double n = sorted.Length;
        double m = referenceCount;
        var effectiveSize = n * m / (n + m);
        var root = Math.Sqrt(effectiveSize);
        var pValue = KolmogorovDistribution.Survival((root + 0.12 + 0.11 / root) * statistic);
        return new TestResult(statistic, pValue);
    }

    /// <summary>D = supₓ |Fₙ(x) − F(x)|, evaluated at every jump or kink of either CDF, from both sides.</summary>
    internal static double Statistic(double[] sorted, QuantileFunction reference)
    {
        double n = sorted.Length;
        var supremum = 0.0;
        void Visit(double x)
        {
            var at = Math.Abs(SortedSample.CountAtMost(sorted, x) / n - reference.Cdf(x));
            var below = Math.Abs(SortedSample.CountBelow(sorted, x) / n - reference.CdfBelow(x));
            supremum = Math.Max(supremum, Math.Max(at, below));
        }

        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i] != sorted[i - 1])
            {
                Visit(sorted[i]);
            }
        }

        for (var i = 0; i < reference.Count; i++)
        {
            if (i == 0 || reference[i] != reference[i - 1])
            {
                Visit(reference[i]);
            }
        }

        return Math.Min(supremum, 1);
    }
}
