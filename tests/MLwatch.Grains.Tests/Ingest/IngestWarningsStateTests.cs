using MLwatch.Abstractions.Ingest;
using MLwatch.Grains.Ingest;
using MLwatch.Grains.Tests.Support;

namespace MLwatch.Grains.Tests.Ingest;

public sealed class IngestWarningsStateTests
{
    private const string Topic = "mlwatch.requests";

    [Fact]
    public void Warnings_are_counted_once_per_record_and_reason_however_often_their_delivery_comes()
    {
        var state = new IngestWarningsState();
        var batch = new IngestWarningBatch(
            [new(0, 3, "sent-at-in-future"), new(0, 3, "kafka-timestamp-unusable"), new(0, 7, "label-unknown")], 0, 0, 9, 0);

        Assert.Equal(3, state.Apply(Topic, batch).Applied);
        Assert.Equal(0, state.Apply(Topic, batch).Applied);
        Assert.Equal(0, StoredState.Reload(state).Apply(Topic, batch).Applied);

        Assert.Equal(new Dictionary<string, long> { ["sent-at-in-future"] = 1, ["kafka-timestamp-unusable"] = 1, ["label-unknown"] = 1 }, state.CountsByReason);
    }

    [Fact]
    public void Warnings_of_a_delivery_lost_with_an_activation_are_counted_when_replayed()
    {
        var persisted = new IngestWarningsState();
        persisted.Apply(Topic, new IngestWarningBatch([new(0, 3, "label-unknown")], 0, 0, 9, 0));
        var reactivated = StoredState.Reload(persisted);
        reactivated.Apply(Topic, new IngestWarningBatch([new(0, 25, "label-unknown")], 0, 20, 29, 0));

        Assert.Equal(1, reactivated.Apply(Topic, new IngestWarningBatch([new(0, 12, "label-unknown")], 0, 10, 19, 0)).Applied);

        Assert.Equal(3, reactivated.CountsByReason["label-unknown"]);
    }
}
