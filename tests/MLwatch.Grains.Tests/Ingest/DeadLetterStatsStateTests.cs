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

    private static DeadLetterBatch Batch(long first, long last, params (long Offset, string Reason)[] refused) =>
        new([.. refused.Select(r => new DeadLetterEntry(0, r.Offset, r.Reason))], 0, first, last, 0);
}
