using HdrHistogram;

namespace MLwatch.Inference.Execution;

/// <summary>
/// Latencies of one model version, in microseconds from 1 µs to 1 h at 3 significant digits (HdrHistogram): its
/// buckets are the same on every silo, so the (value, count) pairs of several silos add up to exactly the histogram of
/// all their records, and percentiles read from the sum are those of the whole cluster. Not thread-safe.
/// </summary>
public sealed class ServingLatencyHistogram
{
    private const long HighestMicroseconds = 3_600_000_000;
    private const int SignificantDigits = 3;

    private readonly LongHistogram _histogram = new(1, HighestMicroseconds, SignificantDigits);

    /// <summary>Records counted.</summary>
    public long Count => _histogram.TotalCount;

    /// <summary>Records one latency; shorter than 1 µs counts as 1 µs, longer than an hour as an hour.</summary>
    public void Record(TimeSpan latency) => RecordMicroseconds((long)latency.TotalMicroseconds, 1);

    /// <summary>Adds <paramref name="count"/> records of <paramref name="microseconds"/> (a bucket of another histogram).</summary>
    public void RecordMicroseconds(long microseconds, long count)
    {
        if (count > 0)
        {
            _histogram.RecordValueWithCount(Math.Clamp(microseconds, 1, HighestMicroseconds), count);
        }
    }

    /// <summary>Adds every bucket of <paramref name="buckets"/> (as <see cref="Buckets"/> returns them).</summary>
    public void Add(IEnumerable<(long Microseconds, long Count)> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        foreach (var (microseconds, count) in buckets)
        {
            RecordMicroseconds(microseconds, count);
        }
    }

    /// <summary>The non-empty buckets: each one's highest equivalent value in µs and its count.</summary>
    public (long Microseconds, long Count)[] Buckets() =>
        [.. _histogram.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo))];

    /// <summary>
    /// The latency at or below which <paramref name="percentile"/> % of the records fall, in milliseconds (the highest
    /// value of its bucket, so within 0.1 % above the true one); 0 when empty.
    /// </summary>
    public double PercentileMs(double percentile) =>
        Count == 0 ? 0 : _histogram.GetValueAtPercentile(percentile) / 1000.0;
}
