namespace MLwatch.Monitoring.Tests.Statistics;

/// <summary>
/// xᵢ = frac(i · 0.6180339887498949)^power, i = 1 … n: a low-discrepancy sample that
/// ScipyReference/reference_values.py builds identically (the same double operations), so SciPy's results apply.
/// </summary>
internal static class GoldenSample
{
    private const double Phi = 0.6180339887498949;

    public static double[] Create(int count, double power = 1)
    {
        var sample = new double[count];
        for (var i = 1; i <= count; i++)
        {
            var fraction = i * Phi % 1.0;
            sample[i - 1] = power == 1 ? fraction : Math.Pow(fraction, power);
        }

        return sample;
    }

    /// <summary>Quantiles of the uniform distribution on [0, 1] at p = i / (count − 1): qᵢ = pᵢ.</summary>
    public static double[] UniformQuantiles(int count = 1001)
    {
        var quantiles = new double[count];
        for (var i = 0; i < count; i++)
        {
            quantiles[i] = (double)i / (count - 1);
        }

        return quantiles;
    }
}
