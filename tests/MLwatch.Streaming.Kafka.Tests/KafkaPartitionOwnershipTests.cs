namespace MLwatch.Streaming.Kafka.Tests;

public sealed class KafkaPartitionOwnershipTests
{
    [Fact]
    public void Partitions_are_listed_by_topic_then_partition_number_with_their_status()
    {
        var ownership = new KafkaPartitionOwnership();
        ownership.Acquire(new("b", 0), () => Status("b", 0));
        ownership.Acquire(new("a", 10), () => Status("a", 10));
        ownership.Acquire(new("a", 2), () => Status("a", 2));

        Assert.Equal(["a/2", "a/10", "b/0"], ownership.Snapshot());
        Assert.Equal(["a/2", "a/10", "b/0"], ownership.Statuses().Select(s => s.Name));
    }

    [Fact]
    public void Releasing_an_entry_that_another_receiver_took_over_keeps_the_newer_one()
    {
        var ownership = new KafkaPartitionOwnership();
        var old = ownership.Acquire(new("t", 1), () => Status("t", 1, lag: 1));
        using var current = ownership.Acquire(new("t", 1), () => Status("t", 1, lag: 2));

        old.Dispose();

        Assert.Equal(2, Assert.Single(ownership.Statuses()).Lag);
        current.Dispose();
        Assert.Empty(ownership.Snapshot());
    }

    private static KafkaPartitionStatus Status(string topic, int partition, long lag = 0) =>
        new(topic, partition, 0, 0, -1, -1, -1, lag, 0, 0, 0, 0, null, null, 0, false, null, KafkaBacklogStage.None, null);
}
