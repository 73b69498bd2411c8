using MLwatch.Inference.Execution;

namespace MLwatch.Inference.Tests.Execution;

public sealed class ServingLatencyHistogramTests
{
    [Fact]
    public void Percentiles_of_1_to_1000_microseconds_are_exact()
    {
        // Below 2048 µs every microsecond is a bucket of its own at 3 significant digits.
        var histogram = new ServingLatencyHistogram();
        for (var us = 1; us <= 1000; us++)
        {
            histogram.Record(TimeSpan.FromMicroseconds(us));
        }

        Assert.Equal(1000, histogram.Count);
        Assert.Equal(0.5, histogram.PercentileMs(50));
        Assert.Equal(0.95, histogram.PercentileMs(95));
        Assert.Equal(0.99, histogram.PercentileMs(99));
        Assert.Equal(1.0, histogram.PercentileMs(100));
    }

    [Fact]
    public void Large_latencies_read_back_within_a_tenth_of_a_percent_above()
    {
        var histogram = new ServingLatencyHistogram();
        histogram.Record(TimeSpan.FromMilliseconds(1234.5));

        var p50 = histogram.PercentileMs(50);

        Assert.InRange(p50, 1234.5, 1234.5 * 1.001);
    }

    [Fact]
    public void An_empty_histogram_reads_zero()
    {
        Assert.Equal(0, new ServingLatencyHistogram().PercentileMs(99));
    }

    [Fact]
    public void Buckets_of_three_silos_add_up_to_the_histogram_of_all_their_records()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 30_000).Select(_ => (long)Math.Exp(random.NextDouble() * 16)).ToArray();
        var all = new ServingLatencyHistogram();
        var silos = new[] { new ServingLatencyHistogram(), new ServingLatencyHistogram(), new ServingLatencyHistogram() };
        for (var i = 0; i < values.Length; i++)
        {
            all.RecordMicroseconds(values[i], 1);
            silos[i % 3].RecordMicroseconds(values[i], 1);
        }

        var merged = new ServingLatencyHistogram();
        foreach (var silo in silos)
        {
            merged.Add(silo.Buckets());
        }

        Assert.Equal(all.Buckets(), merged.Buckets());
        Assert.Equal(values.Length, merged.Count);
        foreach (var percentile in new[] { 50.0, 95, 99, 99.9 })
        {
            Assert.Equal(all.PercentileMs(percentile), merged.PercentileMs(percentile));
        }
    }
}
