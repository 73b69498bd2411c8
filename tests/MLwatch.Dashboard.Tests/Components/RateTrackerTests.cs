using MLwatch.Dashboard.Live;

namespace MLwatch.Dashboard.Tests.Components;

public sealed class RateTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_rate_is_the_growth_over_the_last_five_seconds()
    {
        var rate = new RateTracker(TimeSpan.FromMinutes(5));
        for (var s = 0; s <= 10; s++)
        {
            rate.Add(T0.AddSeconds(s), s * 100);
        }

        Assert.Equal(100, rate.Current, 6);
        Assert.Equal(10, rate.History.Count);
    }

    [Fact]
    public void One_sample_has_no_rate_yet()
    {
        var rate = new RateTracker(TimeSpan.FromMinutes(5));

        rate.Add(T0, 1_000);

        Assert.Equal(0, rate.Current);
        Assert.Empty(rate.History);
    }

    [Fact]
    public void A_total_that_drops_restarts_the_series_instead_of_showing_a_negative_rate()
    {
        var rate = new RateTracker(TimeSpan.FromMinutes(5));
        rate.Add(T0, 1_000);
        rate.Add(T0.AddSeconds(1), 2_000);

        rate.Add(T0.AddSeconds(2), 10);
        rate.Add(T0.AddSeconds(3), 60);

        Assert.Equal(50, rate.Current, 6);
    }

    [Fact]
    public void History_keeps_only_the_configured_span()
    {
        var rate = new RateTracker(TimeSpan.FromSeconds(10));
        for (var s = 0; s <= 60; s++)
        {
            rate.Add(T0.AddSeconds(s), s);
        }

        Assert.InRange(rate.History.Count, 10, 11);
        Assert.True(rate.History[0].At >= T0.AddSeconds(50));
    }
}
