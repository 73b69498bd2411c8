namespace MLwatch.Abstractions.Stats;

/// <summary>
/// A fixed log-scale histogram of end-to-end latency: bin 0 holds [0, 1) ms, bin i ≥ 1 holds
/// [2^((i-1)/4), 2^(i/4)) ms, and the last bin also holds everything slower (from about 50 s). Each bin is about 19 %
/// wide, so percentiles read from it are within that; histograms of several labels add bin by bin.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Number of bins.</summary>
    public const int Bins = 64;

    /// <summary>Bins per doubling of latency.</summary>
    public const int BinsPerOctave = 4;

    /// <summary>The bin of a latency in milliseconds (negative and NaN count as 0).</summary>
    public static int BinOf(double latencyMs)
    {
        if (!(latencyMs >= 1))
        {
            return 0;
        }

        var bin = (int)Math.Floor(Math.Log2(latencyMs) * BinsPerOctave) + 1;
        return Math.Min(bin, Bins - 1);
    }

    /// <summary>The lower bound of <paramref name="bin"/> in milliseconds.</summary>
    public static double LowerBoundMs(int bin) => bin <= 0 ? 0 : Math.Pow(2, (bin - 1) / (double)BinsPerOctave);

    /// <summary>The upper bound of <paramref name="bin"/> in milliseconds.</summary>
    public static double UpperBoundMs(int bin) => Math.Pow(2, bin / (double)BinsPerOctave);

    /// <summary>Adds <paramref name="histogram"/> into <paramref name="total"/> (which must have <see cref="Bins"/> bins).</summary>
    public static void AddInto(long[] total, IReadOnlyList<long> histogram)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(histogram);
        for (var i = 0; i < Math.Min(total.Length, histogram.Count); i++)
        {
            total[i] += histogram[i];
        }
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0..1) of the latencies counted, interpolated geometrically inside its bin;
    /// null when the histogram is empty.
    /// </summary>
    public static double? Percentile(IReadOnlyList<long> histogram, double quantile)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        long count = 0;
        foreach (var n in histogram)
        {
            count += n;
        }

        if (count == 0)
        {
            return null;
        }

        var rank = Math.Clamp(quantile, 0, 1) * count;
        long below = 0;
        for (var bin = 0; bin < histogram.Count; bin++)
        {
            var inBin = histogram[bin];
            if (inBin > 0 && below + inBin >= rank)
            {
                var fraction = Math.Clamp((rank - below) / inBin, 0, 1);
                var upper = UpperBoundMs(bin);
                return bin == 0 ? fraction * upper : LowerBoundMs(bin) * Math.Pow(upper / LowerBoundMs(bin), fraction);
            }

            below += inBin;
        }

        return UpperBoundMs(histogram.Count - 1);
    }
}
