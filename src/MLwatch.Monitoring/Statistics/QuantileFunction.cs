namespace MLwatch.Monitoring.Statistics;

/// <summary>
/// A continuous distribution given by its quantiles q₀ ≤ … ≤ qₙ₋₁ at the evenly spaced probabilities pᵢ = i / (n − 1):
/// the quantile function Q is linear between consecutive (pᵢ, qᵢ) (as numpy/torch "linear" quantiles are), and the
/// CDF is its generalized inverse F(x) = sup { p : Q(p) ≤ x }. Repeated quantiles (a flat stretch of Q) are a point
/// mass, i.e. a jump of F.
/// </summary>
internal sealed class QuantileFunction
{
    private readonly double[] _quantiles;

    private QuantileFunction(double[] quantiles) => _quantiles = quantiles;

    /// <summary>Number of quantiles n.</summary>
    public int Count => _quantiles.Length;

    /// <summary>The quantile qᵢ.</summary>
    public double this[int index] => _quantiles[index];

    /// <summary>Validates and copies the quantiles: at least 2, finite, ascending.</summary>
    public static QuantileFunction From(IReadOnlyList<double> quantiles, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(quantiles, parameterName);
        if (quantiles.Count < 2)
        {
            throw new ArgumentException($"At least 2 quantiles are needed but {quantiles.Count} were given.", parameterName);
        }

        var copy = new double[quantiles.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = quantiles[i];
            if (!double.IsFinite(copy[i]))
            {
                throw new ArgumentException($"Quantile {i} is {copy[i]}; quantiles must be finite.", parameterName);
            }

            if (i > 0 && copy[i] < copy[i - 1])
            {
                throw new ArgumentException($"Quantile {i} ({copy[i]}) is less than quantile {i - 1} ({copy[i - 1]}); quantiles must be ascending.", parameterName);
            }
        }

        return new QuantileFunction(copy);
    }

    /// <summary>The probability pᵢ = i / (n − 1) of quantile <paramref name="index"/>.</summary>
    public double Probability(int index) => (double)index / (_quantiles.Length - 1);

    /// <summary>Q(u) for u in segment [pᵢ, pᵢ₊₁], <paramref name="segment"/> = i.</summary>
    public double Quantile(int segment, double u)
    {
        var lower = _quantiles[segment];
        var upper = _quantiles[segment + 1];
        var position = u * (_quantiles.Length - 1) - segment;
        return lower + (upper - lower) * Math.Clamp(position, 0, 1);
    }

    /// <summary>F(x) = P(X ≤ x), right-continuous.</summary>
    public double Cdf(double x)
    {
        // Last index with q ≤ x.
        var last = SortedSample.CountAtMost(_quantiles, x) - 1;
        return Interpolate(last, x);
    }

    /// <summary>F(x⁻) = P(X &lt; x), the left limit of the CDF.</summary>
    public double CdfBelow(double x)
    {
        // Last index with q < x.
        var last = SortedSample.CountBelow(_quantiles, x) - 1;
        return Interpolate(last, x);
    }

    private double Interpolate(int last, double x)
    {
        if (last < 0)
        {
            return 0;
        }

        if (last >= _quantiles.Length - 1)
        {
            return 1;
        }

        // q[last] ≤ x ≤ q[last + 1] with q[last] < q[last + 1] whenever x lies strictly inside the segment.
        var lower = _quantiles[last];
        var width = _quantiles[last + 1] - lower;
        var fraction = width > 0 ? Math.Clamp((x - lower) / width, 0, 1) : 0;
        return (last + fraction) / (_quantiles.Length - 1);
    }
}
