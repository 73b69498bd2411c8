using MLwatch.Streaming.Kafka.Providers;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

public sealed class StallWatchTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(30);

    [Fact]
    public void Without_waiting_records_a_partition_is_never_stalled()
    {
        var watch = new StallWatch(StallAfter);

        Assert.Equal(StallWatch.Change.None, watch.Observe(T0, recordsWait: false, lastDelivery: null, out _));
        Assert.Equal(StallWatch.Change.None, watch.Observe(T0.AddHours(1), recordsWait: false, lastDelivery: null, out _));
        Assert.Null(watch.StalledSince);
    }

    [Fact]
    public void Waiting_records_with_no_delivery_stall_the_partition_after_the_stall_time_and_say_so_once()
    {
        var watch = new StallWatch(StallAfter);

        Assert.Equal(StallWatch.Change.None, watch.Observe(T0, recordsWait: true, lastDelivery: null, out _));
        Assert.Equal(StallWatch.Change.None, watch.Observe(T0.AddSeconds(29), recordsWait: true, lastDelivery: null, out _));
        Assert.Equal(StallWatch.Change.Stalled, watch.Observe(T0.AddSeconds(30), recordsWait: true, lastDelivery: null, out _));
        Assert.Equal(StallWatch.Change.None, watch.Observe(T0.AddSeconds(31), recordsWait: true, lastDelivery: null, out _));
        Assert.Equal(T0.AddSeconds(30), watch.StalledSince);
    }

    [Fact]
    public void A_partition_idle_for_long_that_receives_records_is_not_stalled_at_once()
    {
        var watch = new StallWatch(StallAfter);
        watch.Observe(T0, recordsWait: false, lastDelivery: T0, out _);

        var arrival = T0.AddHours(2);

        Assert.Equal(StallWatch.Change.None, watch.Observe(arrival, recordsWait: true, lastDelivery: T0, out _));
        Assert.Equal(StallWatch.Change.None, watch.Observe(arrival.AddSeconds(29), recordsWait: true, lastDelivery: T0, out _));
        Assert.Equal(StallWatch.Change.Stalled, watch.Observe(arrival.AddSeconds(30), recordsWait: true, lastDelivery: T0, out _));
    }

    [Fact]
    public void Deliveries_while_records_wait_keep_the_partition_flowing()
    {
        var watch = new StallWatch(StallAfter);
        watch.Observe(T0, recordsWait: true, lastDelivery: null, out _);

        Assert.Equal(StallWatch.Change.None, watch.Observe(T0.AddSeconds(50), recordsWait: true, lastDelivery: T0.AddSeconds(25), out _));
        Assert.Equal(StallWatch.Change.Stalled, watch.Observe(T0.AddSeconds(55), recordsWait: true, lastDelivery: T0.AddSeconds(25), out _));
    }

    [Fact]
    public void A_stalled_partition_flows_again_on_a_delivery_or_when_nothing_waits_and_says_for_how_long()
    {
        var watch = new StallWatch(StallAfter);
        watch.Observe(T0, recordsWait: true, lastDelivery: null, out _);
        watch.Observe(T0.AddSeconds(30), recordsWait: true, lastDelivery: null, out _);

        Assert.Equal(StallWatch.Change.Flowing, watch.Observe(T0.AddSeconds(42), recordsWait: true, lastDelivery: T0.AddSeconds(41), out var stalledFor));
        Assert.Equal(TimeSpan.FromSeconds(12), stalledFor);
        Assert.Null(watch.StalledSince);

        watch.Observe(T0.AddSeconds(80), recordsWait: true, lastDelivery: T0.AddSeconds(41), out _);
        Assert.Equal(StallWatch.Change.Flowing, watch.Observe(T0.AddSeconds(81), recordsWait: false, lastDelivery: T0.AddSeconds(41), out stalledFor));
        Assert.Equal(TimeSpan.FromSeconds(1), stalledFor);
    }
}
