using MLwatch.Monitoring.Statistics;

namespace MLwatch.Monitoring.Tests.Statistics;

public sealed class KolmogorovSmirnovTests
{
    private const int ReferenceCount = 5000;

    // Reference = uniform on [0, 1] as 1001 quantiles qᵢ = pᵢ, whose piecewise-linear CDF is exactly the uniform CDF, so D
    // equals scipy.stats.kstest(sample, "uniform").statistic. p: scipy.stats.kstwobign.sf((√nₑ + 0.12 + 0.11/√nₑ) · D) with
    // nₑ = n·5000/(n + 5000); the ks_2samp p is scipy.stats.ks_2samp(sample, (arange(5000) + 0.5)/5000, method="asymp"),
    // which uses kstwo.sf(D, round(nₑ)) instead of Stephens' approximation. All from ScipyReference/reference_values.py.
    [Theory]
    [InlineData(200, 2.0, 0.24987716564400547, 4.7664634682955236e-11, 4.8316516874034416e-11)]
    [InlineData(300, 1.2, 0.06879710622194635, 0.13177315127633724, 0.13027258589972912)]
    [InlineData(500, 1.0, 0.0030216337839447105, 1.0, 1.0)]
    public void Matches_scipy_against_a_uniform_reference(int n, double power, double scipyD, double stephensP, double ks2SampP)
    {
        var result = KolmogorovSmirnov.TwoSample(GoldenSample.Create(n, power), GoldenSample.UniformQuantiles(), ReferenceCount);

        Assert.Equal(scipyD, result.Statistic, 12);
        Assert.Equal(stephensP, result.PValue, 1e-9 * stephensP);
        Assert.Equal(ks2SampP, result.PValue, 0.05 * ks2SampP);
    }

    [Fact]
    public void Is_independent_of_sample_order()
    {
        var sample = GoldenSample.Create(300, 1.2);
        var reversed = sample.Reverse().ToArray();

        Assert.Equal(
            KolmogorovSmirnov.TwoSample(sample, GoldenSample.UniformQuantiles(), ReferenceCount),
            KolmogorovSmirnov.TwoSample(reversed, GoldenSample.UniformQuantiles(), ReferenceCount));
    }

    // Repeated quantiles are point masses. Quantiles [0, 0, 0.5, 1, 1] at p = 0, .25, .5, .75, 1: mass 1/4 at 0, density 1/2
    // on (0, 1), mass 1/4 at 1, i.e. F(x) = 1/4 + x/2 on [0, 1) and F(1) = 1. By hand:
    // {0.5}: Fₙ jumps 0 → 1 at 0.5 where F = 1/2, D = 1/2. {0, 1}: |1/2 − 1/4| at 0 and |1/2 − 3/4| just below 1, D = 1/4.
    // {1, 1, 1, 1}: Fₙ = 0 just below 1 where F → 3/4, D = 3/4. {0, 0.5, 0.5, 1}: at 0 |1/4 − 1/4|, below 0.5 |1/4 − 1/2|, D = 1/4.
    [Theory]
    [InlineData(new[] { 0.5 }, 0.5)]
    [InlineData(new[] { 0.0, 1.0 }, 0.25)]
    [InlineData(new[] { 1.0, 1.0, 1.0, 1.0 }, 0.75)]
    [InlineData(new[] { 0.0, 0.5, 0.5, 1.0 }, 0.25)]
    public void Handles_point_masses_in_the_reference(double[] sample, double expectedD)
    {
        var result = KolmogorovSmirnov.TwoSample(sample, [0, 0, 0.5, 1, 1], ReferenceCount);

        Assert.Equal(expectedD, result.Statistic, 14);
    }

    [Fact]
    public void Sample_outside_the_reference_range_is_at_distance_one()
    {
        var sample = Enumerable.Range(2, 10).Select(i => (double)i).ToArray();

        var result = KolmogorovSmirnov.TwoSample(sample, GoldenSample.UniformQuantiles(), ReferenceCount);

        // nₑ = 10·5000/5010, λ = (√nₑ + 0.12 + 0.11/√nₑ) · 1 = 3.28, scipy.stats.kstwobign.sf(λ) = 5.78e-10.
        Assert.Equal(1.0, result.Statistic);
        Assert.InRange(result.PValue, 0, 1e-8);
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        var quantiles = GoldenSample.UniformQuantiles();
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([], quantiles, ReferenceCount));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([double.NaN], quantiles, ReferenceCount));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([0.5], [0.5], ReferenceCount));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([0.5], [0.2, 0.1, 0.3], ReferenceCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnov.TwoSample([0.5], quantiles, 0));
    }
}
