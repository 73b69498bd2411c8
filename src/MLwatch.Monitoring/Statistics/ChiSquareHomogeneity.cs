using MathNet.Numerics;

namespace MLwatch.Monitoring.Statistics;

/// <summary>Pearson's χ² test that a window's category counts come from the same distribution as a reference's.</summary>
public static class ChiSquareHomogeneity
{
    /// <summary>
    /// Pearson's χ² test of homogeneity on the 2 × k contingency table whose rows are the window and the reference:
    /// χ² = Σᵣ Σⱼ (Oᵣⱼ − Eᵣⱼ)² / Eᵣⱼ with Eᵣⱼ = Rᵣ · Cⱼ / N (row total × column total / grand total), and
    /// p = P(χ²(k′ − 1) ≥ χ²), where k′ counts the categories that are non-empty in at least one row (categories
    /// empty in both are dropped, as their expected counts would be 0). No continuity correction. Same as
    /// <c>scipy.stats.chi2_contingency([window, reference], correction=False)</c> on those columns.
    /// With fewer than two non-empty categories the table carries no evidence: the result is (0, 1).
    /// </summary>
    /// <param name="windowCounts">Observed counts per category in the window.</param>
    /// <param name="referenceCounts">Reference counts per category (share × reference size, so they may be fractional).</param>
    /// <exception cref="ArgumentException">The inputs differ in length or are empty, a count is negative or not finite, or a row sums to zero.</exception>
    public static TestResult Test(ReadOnlySpan<long> windowCounts, ReadOnlySpan<double> referenceCounts)
    {
        DiscreteDistribution.RequireSameLength(windowCounts.Length, referenceCounts.Length, nameof(windowCounts), nameof(referenceCounts));
        var windowTotal = 0.0;
        var referenceTotal = 0.0;
        var categories = 0;
        for (var j = 0; j < windowCounts.Length; j++)
        {
            if (windowCounts[j] < 0)
            {
                throw new ArgumentException($"Category {j} has count {windowCounts[j]}; counts must be non-negative.", nameof(windowCounts));
            }

            if (!double.IsFinite(referenceCounts[j]) || referenceCounts[j] < 0)
            {
                throw new ArgumentException($"Category {j} has count {referenceCounts[j]}; counts must be finite and non-negative.", nameof(referenceCounts));
            }

            windowTotal += windowCounts[j];
            referenceTotal += referenceCounts[j];
            if (windowCounts[j] > 0 || referenceCounts[j] > 0)
            {
                categories++;
            }
        }

        if (windowTotal == 0)
        {
            throw new ArgumentException("The window has no observations.", nameof(windowCounts));
        }

        if (referenceTotal == 0)
        {
            throw new ArgumentException("The reference has no observations.", nameof(referenceCounts));
        }

        if (categories < 2)
        {
            return new TestResult(0, 1);
        }

        var total = windowTotal + referenceTotal;
        var statistic = 0.0;
        for (var j = 0; j < windowCounts.Length; j++)
        {
            var column = windowCounts[j] + referenceCounts[j];
            if (column == 0)
            {
                continue;
            }

            var expectedWindow = windowTotal * column / total;
            var expectedReference = referenceTotal * column / total;
            statistic += Square(windowCounts[j] - expectedWindow) / expectedWindow
                + Square(referenceCounts[j] - expectedReference) / expectedReference;
        }

        // P(χ²(df) ≥ x) = Q(df/2, x/2), the regularized upper incomplete gamma function; this equals
        // 1 − MathNet.Numerics.Distributions.ChiSquared.CDF(df, x) without its cancellation for small p.
        var degreesOfFreedom = categories - 1;
        var pValue = SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, statistic / 2);
        return new TestResult(statistic, Math.Clamp(pValue, 0, 1));
    }

    private static double Square(double value) => value * value;
}
