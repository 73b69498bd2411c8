using MLwatch.Abstractions.Ingest;
using MLwatch.Grains.Ingest;
using MLwatch.Grains.Tests.Support;

namespace MLwatch.Grains.Tests.Ingest;

public sealed class DeadLetterStatsStateTests
{
    private const string Topic = "mlwatch.requests";

    [Fact]
    public void Refused_records_are_counted_once_whatever_the_order_and_number_of_deliveries()
    {
        var state = new DeadLetterStatsState();

        Assert.Equal(2, state.Apply(Topic, Batch(64, 127, (70, "decode"), (100, "shape"))).Applied);
        Assert.Equal(1, state.Apply(Topic, Batch(0, 63, (5, "decode"))).Applied);
        Assert.Equal(0, state.Apply(Topic, Batch(64, 127, (70, "decode"), (100, "shape"))).Applied);
        Assert.Equal(0, state.Apply(Topic, Batch(0, 63, (5, "decode"))).Applied);

        Assert.Equal(new Dictionary<string, long> { ["decode"] = 2, ["shape"] = 1 }, state.CountsByReason);
    }

    [Fact]
    public void Refusals_lost_with_an_activation_are_counted_once_when_replayed()
    {
        var persisted = new DeadLetterStatsState();
        persisted.Apply(Topic, Batch(0, 63, (5, "decode")));
        var reactivated = StoredState.Reload(persisted);
        // Lost: 64..127 with one refusal. Applied by the new activation first: 128..191.
        reactivated.Apply(Topic, Batch(128, 191, (130, "shape")));

        Assert.Equal(1, reactivated.Apply(Topic, Batch(64, 127, (70, "decode"))).Applied);
        Assert.Equal(0, reactivated.Apply(Topic, Batch(128, 191, (130, "shape"))).Applied);

        Assert.Equal(new Dictionary<string, long> { ["decode"] = 2, ["shape"] = 1 }, reactivated.CountsByReason);
    }

    [Fact]
    public void An_expired_range_counts_each_of_its_records_once_even_when_redelivered_wider()
    {
        var state = new DeadLetterStatsState();

        // 0..524 gone, noted in a delivery that also brought 525..530 (one of them refused).
        Assert.Equal(526, state.Apply(Topic, new DeadLetterBatch([Expired(0, 524), new DeadLetterEntry(0, 527, "undecodable")], 0, 0, 530, 0)).Applied);
        Assert.Equal(0, state.Apply(Topic, new DeadLetterBatch([Expired(0, 524)], 0, 0, 530, 0)).Applied);
        // After a rewind the receiver found 0..599 gone: only 531..599 are new.
        Assert.Equal(69, state.Apply(Topic, new DeadLetterBatch([Expired(0, 599)], 0, 0, 599, 0)).Applied);

        Assert.Equal(new Dictionary<string, long> { ["records-expired"] = 525 + 69, ["undecodable"] = 1 }, state.CountsByReason);
    }

    [Fact]
    public void An_entry_without_a_record_count_counts_as_one_record()
    {
        var state = new DeadLetterStatsState();

        state.Apply(Topic, new DeadLetterBatch([new DeadLetterEntry(0, 5, "empty", RecordCount: 0)], 0, 0, 9, 0));

        Assert.Equal(1, state.CountsByReason["empty"]);
    }

    [Fact]
    public void An_entry_outside_its_delivery_is_refused_before_anything_is_counted()
    {
        var state = new DeadLetterStatsState();

        Assert.Throws<ArgumentOutOfRangeException>(() => state.Apply(Topic, new DeadLetterBatch([new DeadLetterEntry(0, 5, "empty"), Expired(0, 20)], 0, 5, 10, 0)));

        Assert.Empty(state.CountsByReason);
    }

    private static DeadLetterEntry Expired(long from, long to) => new(0, to, "records-expired", to - from + 1);

    private static DeadLetterBatch Batch(long first, long last, params (long Offset, string Reason)[] refused) =>
        new([.. refused.Select(r => new DeadLetterEntry(0, r.Offset, r.Reason))], 0, first, last, 0);
}
