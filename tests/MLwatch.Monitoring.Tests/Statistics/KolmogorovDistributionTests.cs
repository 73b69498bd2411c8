using MLwatch.Monitoring.Statistics;

namespace MLwatch.Monitoring.Tests.Statistics;

public sealed class KolmogorovDistributionTests
{
    // scipy.special.kolmogorov(λ) = scipy.stats.kstwobign.sf(λ), SciPy 1.10.1 (ScipyReference/reference_values.py).
    [Theory]
    [InlineData(0.2, 0.999999999999495)]
    [InlineData(0.5, 0.9639452436648751)]
    [InlineData(0.8, 0.5441424115741981)]
    [InlineData(1.0, 0.26999967167735456)]
    [InlineData(1.17, 0.12939004218561884)]
    [InlineData(1.19, 0.11774229287977166)]
    [InlineData(1.36, 0.049485876755377876)]
    [InlineData(1.63, 0.009846364888486529)]
    [InlineData(2.0, 0.0006709252557796953)]
    [InlineData(3.0, 3.045995948942526e-08)]
    public void Survival_matches_scipy_kolmogorov(double lambda, double expected)
    {
        Assert.Equal(expected, KolmogorovDistribution.Survival(lambda), 1e-12 * Math.Max(expected, 1e-3));
    }

    [Fact]
    public void Is_one_at_and_below_zero()
    {
        Assert.Equal(1.0, KolmogorovDistribution.Survival(0));
        Assert.Equal(1.0, KolmogorovDistribution.Survival(-1));
        Assert.Equal(1.0, KolmogorovDistribution.Survival(0.01));
    }
}
