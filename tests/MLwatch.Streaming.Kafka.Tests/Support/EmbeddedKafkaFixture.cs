using Confluent.Kafka;

namespace MLwatch.Streaming.Kafka.Tests.Support;

/// <summary>One in-process broker (librdkafka's mock cluster) shared by a collection; each test uses its own topic and group.</summary>
public sealed class EmbeddedKafkaFixture : IDisposable
{
    /// <summary>Largest record <see cref="ProduceLargeAsync"/> sends: 20 MiB (librdkafka's producer default is 1,000,000 bytes).</summary>
    public const int MaxLargeRecordBytes = 20 * 1024 * 1024;

    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer;
    private readonly Lazy<IProducer<byte[]?, byte[]?>> _largeProducer;

    public EmbeddedKafkaFixture()
    {
        Broker = EmbeddedKafkaBroker.Start();
        _producer = new(() => new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = Broker.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 0,
        }).SetLogHandler((_, _) => { }).Build());
        _largeProducer = new(() => new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = Broker.BootstrapServers,
            Acks = Acks.All,
            LingerMs = 0,
            MessageMaxBytes = MaxLargeRecordBytes + 1024 * 1024,
        }).SetLogHandler((_, _) => { }).Build());
    }

    public EmbeddedKafkaBroker Broker { get; }

    public string BootstrapServers => Broker.BootstrapServers;

    /// <summary>Creates a topic with a fresh name and <paramref name="partitions"/> partitions, and returns the name.</summary>
    public string CreateTopic(int partitions = 4)
    {
        var topic = $"test-{Guid.NewGuid():N}";
        Assert.Equal(partitions, Broker.CreateTopic(topic, partitions));
        return topic;
    }

    /// <summary>Produces <paramref name="messages"/> to one partition, in order, and waits for the broker's acknowledgements.</summary>
    public async Task<IReadOnlyList<long>> ProduceAsync(string topic, int partition, params Message<byte[]?, byte[]?>[] messages)
    {
        var offsets = new List<long>(messages.Length);
        foreach (var message in messages)
        {
            var result = await _producer.Value.ProduceAsync(new TopicPartition(topic, new Partition(partition)), message);
            offsets.Add(result.Offset.Value);
        }

        return offsets;
    }

    /// <summary>Produces one record of up to <see cref="MaxLargeRecordBytes"/> to one partition and returns its offset.</summary>
    public async Task<long> ProduceLargeAsync(string topic, int partition, byte[] value)
    {
        var result = await _largeProducer.Value.ProduceAsync(new TopicPartition(topic, new Partition(partition)), new Message<byte[]?, byte[]?> { Value = value });
        return result.Offset.Value;
    }

    /// <summary>The offset consumer group <paramref name="group"/> committed for the partition (<see cref="Offset.Unset"/> when none).</summary>
    public Offset Committed(string topic, int partition, string group)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = Broker.BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        return consumer.Committed([new TopicPartition(topic, new Partition(partition))], Wait.Timeout).Single().Offset;
    }

    /// <summary>Commits <paramref name="offset"/> (the next record to read) for consumer group <paramref name="group"/>.</summary>
    public void Commit(string topic, int partition, string group, long offset)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = Broker.BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Commit([new TopicPartitionOffset(topic, new Partition(partition), offset)]);
        consumer.Close();
    }

    /// <summary>The partition's low and high watermarks.</summary>
    public WatermarkOffsets Watermarks(string topic, int partition)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = Broker.BootstrapServers,
            GroupId = "watermarks",
        }).SetLogHandler((_, _) => { }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, new Partition(partition)), Wait.Timeout);
    }

    public void Dispose()
    {
        foreach (var producer in new[] { _producer, _largeProducer }.Where(p => p.IsValueCreated))
        {
            producer.Value.Flush(Wait.Timeout);
            producer.Value.Dispose();
        }

        Broker.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedKafkaCollection : ICollectionFixture<EmbeddedKafkaFixture>
{
    public const string Name = "embedded kafka";
}
