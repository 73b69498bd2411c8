namespace MLwatch.Monitoring.Statistics;

/// <summary>The 1-Wasserstein (earth mover's) distance between a sample and a reference distribution given by its quantiles.</summary>
public static class Wasserstein
{
    /// <summary>
    /// W₁ = ∫₀¹ |Fₙ⁻¹(u) − Q(u)| du (the quantile form of the 1-Wasserstein distance on the real line; Villani 2009,
    /// Remark 2.19), in the units of the values. Fₙ⁻¹ is the sample's empirical quantile function, Fₙ⁻¹(u) = x₍ᵢ₎ for
    /// u ∈ ((i − 1)/n, i/n]; Q is linear between the reference quantiles, given at the evenly spaced probabilities
    /// j / (count − 1). The integral is exact: on each piece between breakpoints of either function the integrand is
    /// |linear − constant|, integrated in closed form. For two samples the same formula is
    /// <c>scipy.stats.wasserstein_distance(u, v)</c>.
    /// </summary>
    /// <param name="sample">The observed values, in any order.</param>
    /// <param name="referenceQuantiles">The reference quantiles, ascending, at least 2.</param>
    /// <exception cref="ArgumentException">The sample is empty or holds a non-finite value, or the quantiles are fewer than 2, not finite or not ascending.</exception>
    public static double Distance(ReadOnlySpan<double> sample, IReadOnlyList<double> referenceQuantiles)
    {
        var reference = QuantileFunction.From(referenceQuantiles, nameof(referenceQuantiles));
        var sorted = SortedSample.From(sample, nameof(sample));

        // Walk the merged breakpoints i/n (sample) and j/s (reference, s = count − 1), compared in integers to stay exact.
        long n = sorted.Length;
        long s = reference.Count - 1;
        var i = 0L;
        var j = 0L;
        var start = 0.0;
        var distance = 0.0;
        while (i < n && j < s)
        {
            var sampleEnd = (i + 1) * s;
            var referenceEnd = (j + 1) * n;
            var end = Math.Min(sampleEnd, referenceEnd) / (double)(n * s);
            var value = sorted[i];
            distance += AbsoluteIntegral(
                reference.Quantile((int)j, start) - value,
                reference.Quantile((int)j, end) - value,
                end - start);
            start = end;
            if (sampleEnd <= referenceEnd)
            {
                i++;
            }

            if (referenceEnd <= sampleEnd)
            {
                j++;
            }
        }

        return distance;
    }

    /// <summary>∫ |g| over an interval of <paramref name="length"/> on which g is linear from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static double AbsoluteIntegral(double from, double to, double length)
    {
        if (from * to >= 0)
        {
            return 0.5 * Math.Abs(from + to) * length;
        }

        // g changes sign: two triangles, with the zero at |from| / (|from| + |to|) of the way.
        return 0.5 * (from * from + to * to) / (Math.Abs(from) + Math.Abs(to)) * length;
    }
}
