namespace MLwatch.Monitoring.Statistics;

/// <summary>
/// The asymptotic Kolmogorov distribution of √n · D for the one- and two-sample Kolmogorov–Smirnov statistic D.
/// Hand-written because MathNet.Numerics has no Kolmogorov(–Smirnov) distribution.
/// </summary>
internal static class KolmogorovDistribution
{
    // Below this λ the alternating series converges slowly; the Jacobi-theta form converges fast (Numerical Recipes, 3rd ed., §6.14).
    private const double SeriesThreshold = 1.18;
    private const int MaxTerms = 100;

    /// <summary>
    /// Q_KS(λ) = P(K &gt; λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} (Kolmogorov 1933), for λ ≥ 1.18; below that, the equivalent
    /// 1 − (√(2π) / λ) Σ_{k≥1} e^{−(2k−1)² π² / (8λ²)}. Numerical Recipes (3rd ed., §6.14 and §14.3.3, <c>KSdist::qks</c>)
    /// evaluates it the same way. Same as <c>scipy.special.kolmogorov(λ)</c> / <c>scipy.stats.kstwobign.sf(λ)</c>.
    /// </summary>
    public static double Survival(double lambda)
    {
        if (double.IsNaN(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Lambda is NaN.");
        }

        if (lambda <= 0)
        {
            return 1;
        }

        return lambda < SeriesThreshold ? 1 - CdfByThetaSeries(lambda) : AlternatingSeries(lambda);
    }

    private static double AlternatingSeries(double lambda)
    {
        var sum = 0.0;
        var sign = 1.0;
        for (var k = 1; k <= MaxTerms; k++)
        {
            var term = sign * Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.Abs(term) <= 1e-17 * Math.Abs(sum))
            {
                break;
            }

            sign = -sign;
        }

        return Math.Clamp(2 * sum, 0, 1);
    }

    private static double CdfByThetaSeries(double lambda)
    {
        var scale = Math.PI * Math.PI / (8 * lambda * lambda);
        var sum = 0.0;
        for (var k = 1; k <= MaxTerms; k++)
        {
            var odd = 2 * k - 1;
            var term = Math.Exp(-odd * odd * scale);
            sum += term;
            if (term <= 1e-17 * sum || term == 0)
            {
                break;
            }
        }

        return Math.Clamp(Math.Sqrt(2 * Math.PI) / lambda * sum, 0, 1);
    }
}
