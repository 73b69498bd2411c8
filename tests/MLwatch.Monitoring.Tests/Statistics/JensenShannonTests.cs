using MLwatch.Monitoring.Statistics;

namespace MLwatch.Monitoring.Tests.Statistics;

public sealed class JensenShannonTests
{
    [Fact]
    public void Disjoint_distributions_are_at_distance_one()
    {
        // scipy.spatial.distance.jensenshannon([1, 0, 0], [0, 1, 0], base=2) = 1.0 (SciPy docs).
        Assert.Equal(1.0, JensenShannon.Distance([1, 0, 0], [0, 1, 0]), 12);
    }

    [Fact]
    public void Identical_distributions_are_at_distance_zero()
    {
        // scipy.spatial.distance.jensenshannon([1, 0, 0], [1, 0, 0]) = 0.0 (SciPy docs).
        Assert.Equal(0.0, JensenShannon.Distance([1, 0, 0], [1, 0, 0]), 12);
    }

    [Fact]
    public void Matches_scipy_in_base_two()
    {
        // SciPy docs: jensenshannon([1.0, 0.0], [0.5, 0.5]) = 0.46450140402245893 (natural log);
        // jensenshannon([1.0, 0.0], [0.5, 0.5], base=2) = 0.5579230452841438 = 0.4645... / sqrt(ln 2).
        var distance = JensenShannon.Distance([1.0, 0.0], [0.5, 0.5]);

        Assert.Equal(0.5579230452841438, distance, 12);
        Assert.Equal(0.46450140402245893, distance * Math.Sqrt(Math.Log(2)), 12);
    }

    [Fact]
    public void Normalizes_counts()
    {
        // scipy.spatial.distance.jensenshannon([1, 5, 9], [13, 17, 21], base=2) = 0.234733888365818
        // (column 0 of the SciPy docs' axis=0 example, whose natural-log value is 0.1954288).
        Assert.Equal(0.234733888365818, JensenShannon.Distance([1, 5, 9], [13, 17, 21]), 12);
    }

    [Fact]
    public void Is_symmetric()
    {
        double[] p = [0.1, 0.2, 0.7];
        double[] q = [0.3, 0.3, 0.4];

        Assert.Equal(JensenShannon.Distance(p, q), JensenShannon.Distance(q, p), 15);
    }

    [Fact]
    public void Rejects_mismatched_empty_negative_and_zero_inputs()
    {
        Assert.Throws<ArgumentException>(() => JensenShannon.Distance([0.5, 0.5], [1.0]));
        Assert.Throws<ArgumentException>(() => JensenShannon.Distance([], []));
        Assert.Throws<ArgumentException>(() => JensenShannon.Distance([1.5, -0.5], [0.5, 0.5]));
        Assert.Throws<ArgumentException>(() => JensenShannon.Distance([0, 0], [0.5, 0.5]));
        Assert.Throws<ArgumentException>(() => JensenShannon.Distance([double.NaN, 1], [0.5, 0.5]));
    }
}
