using Microsoft.Extensions.Logging.Abstractions;
using MLwatch.Streaming.Kafka.Providers;
using Orleans.Streams;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

public sealed class KafkaQueueAdapterTests
{
    private static readonly KafkaStreamOptions Options = new() { Topic = "images", StreamNamespace = "ns" };

    [Fact]
    public void Each_queue_receives_its_own_partition()
    {
        var mapper = new HashRingBasedPartitionedStreamQueueMapper(["0", "1", "2", "3"], "kafka");
        var adapter = Adapter(mapper);

        var partitions = mapper.GetAllQueues().Select(queue => ((KafkaQueueAdapterReceiver)adapter.CreateReceiver(queue)).Partition);

        Assert.Equal([0, 1, 2, 3], partitions.Order());
    }

    [Fact]
    public async Task It_is_read_only_and_says_where_to_produce_instead()
    {
        var adapter = Adapter(new HashRingBasedPartitionedStreamQueueMapper(["0"], "kafka"));

        var exception = await Assert.ThrowsAsync<NotSupportedException>(
            () => adapter.QueueMessageBatchAsync(KafkaStreamIds.ForPartition("ns", 0), new[] { 1 }, null, null));

        Assert.Equal(StreamProviderDirection.ReadOnly, adapter.Direction);
        Assert.False(adapter.IsRewindable);
        Assert.Contains("'images'", exception.Message, StringComparison.Ordinal);
    }

    private static KafkaQueueAdapter Adapter(HashRingBasedPartitionedStreamQueueMapper mapper) =>
        new(
            "kafka",
            Options,
            "localhost:1",
            mapper,
            new KafkaCheckpointer("kafka", new ImmediateCommitBarrier(), NullLogger<KafkaCheckpointer>.Instance),
            new KafkaPartitionOwnership(),
            new PartitionCommits(),
            new DeliveryFailures(TimeProvider.System),
            TimeProvider.System,
            NullLoggerFactory.Instance);
}
