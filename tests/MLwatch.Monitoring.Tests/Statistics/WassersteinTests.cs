using MLwatch.Monitoring.Statistics;

namespace MLwatch.Monitoring.Tests.Statistics;

public sealed class WassersteinTests
{
    [Fact]
    public void Matches_the_exact_integral_against_a_uniform_reference()
    {
        // ∫₀¹ |F⁻¹(u) − u| du for {0, 1, 3}: 1/18 + 1/6 + 13/18 = 17/18 by hand;
        // scipy.stats.wasserstein_distance([0, 1, 3], linspace(0, 1, 2000001)) = 0.944444333333333 approximates it.
        var distance = Wasserstein.Distance([0, 1, 3], GoldenSample.UniformQuantiles());

        Assert.Equal(17.0 / 18.0, distance, 14);
        Assert.Equal(0.944444333333333, distance, 6);
    }

    [Fact]
    public void Matches_scipy_for_a_larger_sample()
    {
        // scipy.stats.wasserstein_distance(golden(200) ** 2, linspace(0, 1, 2000001)) = 0.16463576805236277
        // (ScipyReference/reference_values.py); the 2000001-point grid stands for the uniform distribution to ~1e-6.
        var distance = Wasserstein.Distance(GoldenSample.Create(200, 2), GoldenSample.UniformQuantiles());

        Assert.Equal(0.16463576805236277, distance, 6);
    }

    [Fact]
    public void Is_the_mean_difference_when_the_distributions_do_not_overlap()
    {
        // Every value of {5, 6, 8} exceeds every reference value: W₁ = 19/3 − 1/2 = 35/6.
        Assert.Equal(35.0 / 6.0, Wasserstein.Distance([5, 8, 6], GoldenSample.UniformQuantiles()), 13);
    }

    [Fact]
    public void Matches_scipys_two_sample_example_with_a_step_reference()
    {
        // SciPy docs: wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0. The reference {5, 6, 8} as 300001 quantiles of its
        // empirical (step) quantile function differs from it only on two ramps 1/300000 wide (area ≤ 5e-6).
        const int count = 300_001;
        double[] values = [5, 6, 8];
        var quantiles = new double[count];
        for (var i = 0; i < count; i++)
        {
            var index = (int)Math.Ceiling((double)i / (count - 1) * values.Length) - 1;
            quantiles[i] = values[Math.Clamp(index, 0, values.Length - 1)];
        }

        Assert.Equal(5.0, Wasserstein.Distance([0, 1, 3], quantiles), 5);
    }

    [Fact]
    public void Handles_point_masses_and_sign_changes_inside_a_segment()
    {
        // Quantiles [0, 0, 0.5, 1, 1] at p = 0, .25, .5, .75, 1 against {0.5}:
        // 0.5 · 1/4 + (1/4 · 1/4) + (1/4 · 1/4) + 0.5 · 1/4 = 0.375 by hand.
        Assert.Equal(0.375, Wasserstein.Distance([0.5], [0, 0, 0.5, 1, 1]), 14);

        // {0, 0.5, 1} against uniform: ∫₀^⅓ u + ∫_⅓^⅔ |½ − u| + ∫_⅔^1 (1 − u) = 1/18 + 1/36 + 1/18 = 5/36.
        Assert.Equal(5.0 / 36.0, Wasserstein.Distance([0, 0.5, 1], GoldenSample.UniformQuantiles()), 14);
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        Assert.Throws<ArgumentException>(() => Wasserstein.Distance([], GoldenSample.UniformQuantiles()));
        Assert.Throws<ArgumentException>(() => Wasserstein.Distance([double.PositiveInfinity], GoldenSample.UniformQuantiles()));
        Assert.Throws<ArgumentException>(() => Wasserstein.Distance([0.5], [1, 0]));
    }
}
