using MLwatch.Monitoring.Drift;

namespace MLwatch.Monitoring.Tests.Drift;

public sealed class DriftThresholdsTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var thresholds = new DriftThresholds();

        Assert.Equal(0.1, thresholds.JensenShannon);
        Assert.Equal(0.2, thresholds.Psi);
        Assert.Equal(0.01, thresholds.Alpha);
        Assert.Equal(0.005, thresholds.PerTestAlpha);
        Assert.Equal(0.05, thresholds.AccuracyDrop);
        Assert.Equal(100, thresholds.MinLabeledForRealized);
        Assert.Equal("Monitoring:Thresholds", DriftThresholds.SectionName);
        Assert.Empty(thresholds.GetValidationErrors());
    }

    [Fact]
    public void Validation_names_every_bad_field()
    {
        var thresholds = new DriftThresholds
        {
            JensenShannon = 0,
            Psi = double.NaN,
            Alpha = 1,
            AccuracyDrop = 1.5,
            MinLabeledForRealized = 0,
        };

        var error = Assert.Throws<ArgumentException>(thresholds.Validate);

        Assert.Equal(5, thresholds.GetValidationErrors().Count);
        Assert.Contains("Monitoring:Thresholds:JensenShannon must be in (0, 1] but is 0", error.Message);
        Assert.Contains("Monitoring:Thresholds:Psi must be positive and finite but is NaN", error.Message);
        Assert.Contains("Monitoring:Thresholds:Alpha must be in (0, 1) but is 1", error.Message);
        Assert.Contains("Monitoring:Thresholds:AccuracyDrop must be in (0, 1] but is 1.5", error.Message);
        Assert.Contains("Monitoring:Thresholds:MinLabeledForRealized must be at least 1 but is 0", error.Message);
    }
}
