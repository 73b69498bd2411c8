using Confluent.Kafka;
using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Pacing;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Cli.Tests.Pacing;

/// <summary>The pacer against the real embedded broker: production waits for the consumer group's commits.</summary>
public sealed class ConsumerLagPacerTests : IDisposable
{
    private const string Topic = "paced";
    private const string Group = "pacing-test";
    private readonly EmbeddedKafkaBroker _broker = EmbeddedKafkaBroker.Start();

    [Fact]
    public async Task The_embedded_broker_is_recognised_as_such()
    {
        Assert.True(await BrokerProbe.IsEmbeddedBrokerAsync(_broker.BootstrapServers, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task A_producer_stops_at_the_budget_of_every_partition_and_finishes_once_the_group_commits()
    {
        var partitions = BrokerProbe.PartitionCount(_broker.BootstrapServers, Topic);
        using var pacer = ConsumerLagPacer.Start(_broker.BootstrapServers, Topic, Group, TextWriter.Null, maxUnreadBytes: 1000, maxUnreadRecords: 3);
        using var producer = new ImageProducer(_broker.BootstrapServers, Topic, pacer);
        var source = new FixedSource(count: 200, bytes: 10);

        var production = producer.ProduceAsync(source, 200, rate: 0, progress: null, CancellationToken.None);

        // Three records per partition, then nothing: the group has committed nothing.
        await Eventually(() => EndOffsets(partitions).Sum() == 3 * partitions);
        await Task.Delay(500);
        Assert.False(production.IsCompleted);
        Assert.Equal(3 * partitions, EndOffsets(partitions).Sum());

        // A consumer of the group that reads everything and commits as it goes lets the rest through.
        using var reader = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = _broker.BootstrapServers,
            GroupId = Group,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        reader.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(Topic, p, Offset.Beginning)));
        var read = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (read < 200 && DateTime.UtcNow < deadline)
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } result)
            {
                read++;
                reader.Commit([new TopicPartitionOffset(result.TopicPartition, result.Offset + 1)]);
            }
        }

        await production.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(200, read);
        Assert.Equal(200, EndOffsets(partitions).Sum());
    }

    public void Dispose() => _broker.Dispose();

    private long[] EndOffsets(int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = "watermarks" }).Build();
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(10)).High.Value)];
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 60 s.");
            await Task.Delay(50);
        }
    }

    private sealed class FixedSource(int count, int bytes) : IImageSource
    {
        public int Count => count;

        public SourceImage Get(int index) => new($"fixed-{index}", new byte[bytes], null);
    }
}
