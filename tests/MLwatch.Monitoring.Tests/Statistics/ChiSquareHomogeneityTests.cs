using MLwatch.Monitoring.Statistics;

namespace MLwatch.Monitoring.Tests.Statistics;

public sealed class ChiSquareHomogeneityTests
{
    [Fact]
    public void Matches_scipy_contingency_example()
    {
        // SciPy docs: chi2_contingency([[10, 10, 20], [20, 20, 20]]) → statistic 2.7777777777777777, p 0.24935220877729622, dof 2.
        var result = ChiSquareHomogeneity.Test([10, 10, 20], [20, 20, 20]);

        Assert.Equal(2.7777777777777777, result.Statistic, 12);
        Assert.Equal(0.24935220877729622, result.PValue, 12);
    }

    [Fact]
    public void Uses_no_continuity_correction_for_two_categories()
    {
        // scipy.stats.chi2_contingency([[12, 5], [7, 9]], correction=False) → 2.4305755196815575, p 0.118989205532145.
        var result = ChiSquareHomogeneity.Test([12, 5], [7, 9]);

        Assert.Equal(2.4305755196815575, result.Statistic, 12);
        Assert.Equal(0.118989205532145, result.PValue, 12);
    }

    [Fact]
    public void Keeps_small_p_values_accurate()
    {
        // scipy.stats.chi2_contingency([[100, 20, 5], [50, 70, 30]]) → 60.52910052910052, p 7.182453497018912e-14.
        var result = ChiSquareHomogeneity.Test([100, 20, 5], [50, 70, 30]);

        Assert.Equal(60.52910052910052, result.Statistic, 10);
        Assert.Equal(7.182453497018912e-14, result.PValue, 1e-9 * 7.182453497018912e-14);
    }

    [Fact]
    public void Drops_categories_empty_in_both_rows_and_takes_fractional_reference_counts()
    {
        // scipy.stats.chi2_contingency([[5, 3], [4, 6.5]], correction=False) → 1.0825153160679473, p 0.2981355433713635, dof 1;
        // the middle category, empty in both rows, is dropped.
        var result = ChiSquareHomogeneity.Test([5, 0, 3], [4, 0, 6.5]);

        Assert.Equal(1.0825153160679473, result.Statistic, 12);
        Assert.Equal(0.2981355433713635, result.PValue, 12);
    }

    [Fact]
    public void Approaches_the_goodness_of_fit_test_as_the_reference_grows()
    {
        // SciPy docs: scipy.stats.chisquare([16, 18, 16, 14, 12, 12]) → statistic 2.0, p 0.8491450360846096 (uniform expected).
        // With a reference row of 10^12 per category, homogeneity differs from goodness of fit by O(n / 10^12).
        var result = ChiSquareHomogeneity.Test([16, 18, 16, 14, 12, 12], [1e12, 1e12, 1e12, 1e12, 1e12, 1e12]);

        Assert.Equal(2.0, result.Statistic, 8);
        Assert.Equal(0.8491450360846096, result.PValue, 8);
    }

    [Fact]
    public void One_non_empty_category_carries_no_evidence()
    {
        Assert.Equal(new TestResult(0, 1), ChiSquareHomogeneity.Test([7, 0], [3, 0]));
    }

    [Fact]
    public void Rejects_empty_rows_negative_counts_and_mismatched_lengths()
    {
        Assert.Throws<ArgumentException>(() => ChiSquareHomogeneity.Test([0, 0], [1, 1]));
        Assert.Throws<ArgumentException>(() => ChiSquareHomogeneity.Test([1, 1], [0, 0]));
        Assert.Throws<ArgumentException>(() => ChiSquareHomogeneity.Test([1, -1], [1, 1]));
        Assert.Throws<ArgumentException>(() => ChiSquareHomogeneity.Test([1, 1], [1, double.NaN]));
        Assert.Throws<ArgumentException>(() => ChiSquareHomogeneity.Test([1, 1], [1, 1, 1]));
    }
}
