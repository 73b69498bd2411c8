using System.Globalization;

namespace MLwatch.Monitoring.Drift;

/// <summary>When <see cref="AlertRules"/> reports a breach. Bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class DriftThresholds
{
    /// <summary>The configuration section the thresholds are bound from.</summary>
    public const string SectionName = "Monitoring:Thresholds";

    /// <summary>Number of hypothesis tests <see cref="Alpha"/> is split over (χ² on labels, Kolmogorov–Smirnov on confidences).</summary>
    public const int TestCount = 2;

    /// <summary>Jensen–Shannon distance (base 2) of the predicted-label shares at or above which labels have drifted. Defaults to 0.1.</summary>
    public double JensenShannon { get; set; } = 0.1;

    /// <summary>Population stability index of the predicted-label shares at or above which labels have drifted. Defaults to 0.2 (the usual "significant shift" level).</summary>
    public double Psi { get; set; } = 0.2;

    /// <summary>
    /// Family-wise significance level of the hypothesis tests; each of the <see cref="TestCount"/> tests is run at
    /// <see cref="Alpha"/> / <see cref="TestCount"/> (Bonferroni), see <see cref="PerTestAlpha"/>. Defaults to 0.01.
    /// </summary>
    public double Alpha { get; set; } = 0.01;

    /// <summary>Drop below the reference accuracy (absolute, e.g. 0.05 = five points) at or beyond which accuracy has dropped. Defaults to 0.05.</summary>
    public double AccuracyDrop { get; set; } = 0.05;

    /// <summary>Labeled predictions a window needs before its realized accuracy is judged. Defaults to 100.</summary>
    public int MinLabeledForRealized { get; set; } = 100;

    /// <summary>The significance level of each test: <see cref="Alpha"/> / <see cref="TestCount"/>.</summary>
    public double PerTestAlpha => Alpha / TestCount;

    /// <summary>The problems with the current values, each naming its field; empty when they are valid.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        if (!(JensenShannon is > 0 and <= 1))
        {
            errors.Add(Problem(nameof(JensenShannon), "must be in (0, 1]", JensenShannon));
        }

        if (!(Psi > 0 && double.IsFinite(Psi)))
        {
            errors.Add(Problem(nameof(Psi), "must be positive and finite", Psi));
        }

        if (!(Alpha is > 0 and < 1))
        {
            errors.Add(Problem(nameof(Alpha), "must be in (0, 1)", Alpha));
        }

        if (!(AccuracyDrop is > 0 and <= 1))
        {
            errors.Add(Problem(nameof(AccuracyDrop), "must be in (0, 1]", AccuracyDrop));
        }

        if (MinLabeledForRealized < 1)
        {
            errors.Add(Problem(nameof(MinLabeledForRealized), "must be at least 1", MinLabeledForRealized));
        }

        return errors;
    }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">A threshold is out of range; the message names every offending field.</exception>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {SectionName}: {string.Join("; ", errors)}.");
        }
    }

    private static string Problem(string field, string rule, double value) =>
        $"{SectionName}:{field} {rule} but is {value.ToString(CultureInfo.InvariantCulture)}";
}
