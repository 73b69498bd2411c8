namespace MLwatch.Monitoring.Statistics;

/// <summary>A validated, ascending copy of a sample, and counting in ascending arrays (the empirical CDF).</summary>
internal static class SortedSample
{
    /// <summary>Copies and sorts the sample; it must be non-empty and finite.</summary>
    public static double[] From(ReadOnlySpan<double> sample, string parameterName)
    {
        if (sample.IsEmpty)
        {
            throw new ArgumentException("The sample is empty.", parameterName);
        }

        var sorted = sample.ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (!double.IsFinite(sorted[i]))
            {
                throw new ArgumentException($"Sample value {i} is {sorted[i]}; values must be finite.", parameterName);
            }
        }

        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Number of values ≤ x in the ascending <paramref name="sorted"/> (the index of the first value &gt; x).</summary>
    public static int CountAtMost(double[] sorted, double x) => Count(sorted, x, inclusive: true);

    /// <summary>Number of values &lt; x in the ascending <paramref name="sorted"/> (the index of the first value ≥ x).</summary>
    public static int CountBelow(double[] sorted, double x) => Count(sorted, x, inclusive: false);

    private static int Count(double[] sorted, double x, bool inclusive)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid] < x || (inclusive && sorted[mid] == x))
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
