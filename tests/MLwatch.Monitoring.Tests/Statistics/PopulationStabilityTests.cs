using MLwatch.Monitoring.Statistics;

namespace MLwatch.Monitoring.Tests.Statistics;

public sealed class PopulationStabilityTests
{
    [Fact]
    public void Matches_the_definition()
    {
        // By hand: (0.3-0.25)ln(0.3/0.25) · 2 + (0.4-0.5)ln(0.4/0.5) = 0.04054651081081642
        // (ScipyReference/reference_values.py, psi([.25,.25,.5],[.3,.3,.4]) with numpy).
        Assert.Equal(0.04054651081081642, PopulationStability.Index([0.25, 0.25, 0.5], [0.3, 0.3, 0.4]), 14);
    }

    [Fact]
    public void Replaces_zero_shares_by_epsilon_as_evidently_does()
    {
        // Expected share 0 becomes 1e-4: 2 · (0.4-0.5)ln(0.8) + (0.2-0.0001)ln(0.2/0.0001) = 1.5640491119253044 (numpy, same script).
        Assert.Equal(1.5640491119253044, PopulationStability.Index([0.5, 0.5, 0], [0.4, 0.4, 0.2]), 12);
    }

    [Fact]
    public void Is_zero_for_identical_shares_and_normalizes_counts()
    {
        Assert.Equal(0.0, PopulationStability.Index([0.2, 0.3, 0.5], [2, 3, 5]), 15);
        Assert.Equal(
            PopulationStability.Index([0.25, 0.25, 0.5], [0.3, 0.3, 0.4]),
            PopulationStability.Index([25, 25, 50], [30, 30, 40]),
            14);
    }

    [Fact]
    public void Rejects_an_epsilon_outside_zero_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PopulationStability.Index([0.5, 0.5], [0.5, 0.5], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PopulationStability.Index([0.5, 0.5], [0.5, 0.5], 1));
    }

    [Fact]
    public void Rejects_mismatched_lengths()
    {
        Assert.Throws<ArgumentException>(() => PopulationStability.Index([0.5, 0.5], [1.0]));
    }
}
