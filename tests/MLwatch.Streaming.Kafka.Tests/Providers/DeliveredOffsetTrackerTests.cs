using MLwatch.Streaming.Kafka.Providers;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

public sealed class DeliveredOffsetTrackerTests
{
    [Fact]
    public void Nothing_handed_out_means_nothing_delivered()
    {
        var tracker = new DeliveredOffsetTracker();

        Assert.Equal(-1, tracker.DeliveredThrough);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void In_order_acknowledgements_advance_the_mark_one_by_one()
    {
        var tracker = HandedOut(0, 1, 2, 3);

        tracker.Delivered(0);
        Assert.Equal(0, tracker.DeliveredThrough);
        tracker.Delivered(1);
        Assert.Equal(1, tracker.DeliveredThrough);
        tracker.Delivered(2);
        tracker.Delivered(3);

        Assert.Equal(3, tracker.DeliveredThrough);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void Out_of_order_acknowledgements_advance_the_mark_only_when_the_gap_fills()
    {
        var tracker = HandedOut(10, 11, 12, 13, 14);

        tracker.Delivered(12);
        tracker.Delivered(14);
        Assert.Equal(-1, tracker.DeliveredThrough);
        Assert.Equal(5, tracker.Pending);

        tracker.Delivered(10);
        Assert.Equal(10, tracker.DeliveredThrough);
        Assert.Equal(4, tracker.Pending);

        tracker.Delivered(11);
        Assert.Equal(12, tracker.DeliveredThrough);
        Assert.Equal(2, tracker.Pending);

        tracker.Delivered(13);
        Assert.Equal(14, tracker.DeliveredThrough);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void Gaps_between_offsets_do_not_hold_the_mark_back()
    {
        // After compaction, or around transaction markers, a partition's offsets are not contiguous.
        var tracker = HandedOut(3, 7, 8, 20);

        tracker.Delivered(3);
        tracker.Delivered(7);
        tracker.Delivered(8);
        Assert.Equal(8, tracker.DeliveredThrough);

        tracker.Delivered(20);
        Assert.Equal(20, tracker.DeliveredThrough);
    }

    [Fact]
    public void A_record_never_delivered_holds_the_mark_back()
    {
        var tracker = HandedOut(0, 1, 2, 3, 4);

        foreach (var offset in new long[] { 0, 1, 3, 4 })
        {
            tracker.Delivered(offset);
        }

        Assert.Equal(1, tracker.DeliveredThrough);
        Assert.Equal(3, tracker.Pending);

        tracker.Delivered(2);
        Assert.Equal(4, tracker.DeliveredThrough);
    }

    [Fact]
    public void Pending_counts_handed_out_records_not_yet_passed_by_the_mark()
    {
        var tracker = HandedOut(0, 1, 2);
        tracker.Delivered(0);
        Assert.Equal(2, tracker.Pending);

        tracker.HandedOut(3);
        tracker.HandedOut(4);
        Assert.Equal(4, tracker.Pending);

        tracker.Delivered(1);
        tracker.Delivered(2);
        tracker.Delivered(3);
        tracker.Delivered(4);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void Records_handed_out_after_the_mark_caught_up_continue_it()
    {
        var tracker = HandedOut(0, 1);
        tracker.Delivered(0);
        tracker.Delivered(1);

        tracker.HandedOut(5);
        Assert.Equal(1, tracker.DeliveredThrough);
        tracker.Delivered(5);

        Assert.Equal(5, tracker.DeliveredThrough);
    }

    [Fact]
    public void Concurrent_acknowledgements_reach_the_last_offset()
    {
        const int count = 10_000;
        var tracker = HandedOut([.. Enumerable.Range(0, count).Select(i => (long)i)]);

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => tracker.Delivered(count - 1 - i));

        Assert.Equal(count - 1, tracker.DeliveredThrough);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void In_flight_records_and_bytes_count_what_was_handed_out_and_not_yet_delivered()
    {
        var tracker = new DeliveredOffsetTracker();
        tracker.HandedOut(0, 100);
        tracker.HandedOut(1, 200);
        tracker.HandedOut(2, 300);

        tracker.Delivered(1);

        Assert.Equal((2, 400L, 2L), (tracker.InFlightRecords, tracker.InFlightBytes, tracker.HandedOutThrough));
        Assert.Equal(-1, tracker.DeliveredThrough);
        tracker.Delivered(0);
        tracker.Delivered(2);
        Assert.Equal((0, 0L, 2L), (tracker.InFlightRecords, tracker.InFlightBytes, tracker.DeliveredThrough));
    }

    [Fact]
    public void A_repeated_or_unknown_delivery_report_changes_nothing()
    {
        var tracker = HandedOut(0, 1);
        tracker.Delivered(0);

        tracker.Delivered(0);
        tracker.Delivered(7);

        Assert.Equal((0L, 1, 1), (tracker.DeliveredThrough, tracker.Pending, tracker.InFlightRecords));
        tracker.Delivered(1);
        Assert.Equal(1, tracker.DeliveredThrough);
    }

    private static DeliveredOffsetTracker HandedOut(params long[] offsets)
    {
        var tracker = new DeliveredOffsetTracker();
        foreach (var offset in offsets)
        {
            tracker.HandedOut(offset);
        }

        return tracker;
    }
}
