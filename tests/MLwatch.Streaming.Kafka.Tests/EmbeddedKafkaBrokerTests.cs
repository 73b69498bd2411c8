using System.Text;
using Confluent.Kafka;
using MLwatch.Streaming.Kafka.Tests.Support;

namespace MLwatch.Streaming.Kafka.Tests;

[Collection(EmbeddedKafkaCollection.Name)]
public sealed class EmbeddedKafkaBrokerTests(EmbeddedKafkaFixture kafka)
{
    [Fact]
    public void Start_reports_a_loopback_address_per_broker()
    {
        using var broker = EmbeddedKafkaBroker.Start(brokerCount: 3);

        var addresses = broker.BootstrapServers.Split(',');

        Assert.Equal(3, addresses.Length);
        Assert.All(addresses, address =>
        {
            var colon = address.LastIndexOf(':');
            Assert.True(colon > 0, address);
            Assert.True(int.TryParse(address[(colon + 1)..], out var port) && port > 0, address);
        });
        Assert.Equal(3, addresses.Distinct().Count());
    }

    [Fact]
    public void Broker_count_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddedKafkaBroker.Start(brokerCount: 0));
    }

    [Fact]
    public void Create_topic_makes_the_partitions_asked_for_and_leaves_an_existing_topic_as_it_is()
    {
        var topic = $"create-{Guid.NewGuid():N}";

        Assert.Equal(16, kafka.Broker.CreateTopic(topic, 16));
        Assert.Equal(16, kafka.Broker.CreateTopic(topic, 3));
        Assert.Equal(16, PartitionsSeenByAClient(topic));
    }

    [Fact]
    public void A_topic_a_client_asks_for_by_name_is_created_with_the_default_partitions()
    {
        var topic = $"named-{Guid.NewGuid():N}";

        Assert.Equal(EmbeddedKafkaBroker.DefaultPartitions, PartitionsSeenByAClient(topic));
        Assert.Equal(EmbeddedKafkaBroker.DefaultPartitions, kafka.Broker.CreateTopic(topic, 9));
    }

    [Fact]
    public void Create_topic_rejects_fewer_than_one_partition()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => kafka.Broker.CreateTopic($"none-{Guid.NewGuid():N}", 0));
    }

    [Fact]
    public async Task Delete_records_moves_the_start_offset_as_retention_would()
    {
        var topic = kafka.CreateTopic();
        await kafka.ProduceAsync(topic, 1, [.. Enumerable.Range(0, 10).Select(i => new Message<byte[]?, byte[]?> { Value = [(byte)i] })]);

        kafka.Broker.DeleteRecords(topic, 1, 6);

        var watermarks = kafka.Watermarks(topic, 1);
        Assert.Equal((6L, 10L), (watermarks.Low.Value, watermarks.High.Value));
    }

    [Fact]
    public void Delete_records_past_the_end_is_refused()
    {
        var topic = kafka.CreateTopic();

        var exception = Assert.Throws<KafkaException>(() => kafka.Broker.DeleteRecords(topic, 0, 5));

        Assert.Equal(Confluent.Kafka.ErrorCode.OffsetOutOfRange, exception.Error.Code);
    }

    [Fact]
    public async Task A_partition_keeps_at_most_5_MiB_and_deletes_the_oldest_records_beyond_that()
    {
        // What the README states about the embedded broker: librdkafka's mock keeps 5 MiB per partition.
        const int recordBytes = 900_000;
        var topic = kafka.CreateTopic();
        await kafka.ProduceAsync(topic, 0, [.. Enumerable.Range(0, 8).Select(_ => new Message<byte[]?, byte[]?> { Value = new byte[recordBytes] })]);

        var watermarks = kafka.Watermarks(topic, 0);

        Assert.Equal(8, watermarks.High.Value);
        Assert.True(watermarks.Low.Value >= 2, $"start offset {watermarks.Low.Value}: 8 × 900 kB do not fit in 5 MiB");
        Assert.True((watermarks.High.Value - watermarks.Low.Value) * recordBytes <= EmbeddedKafkaBroker.MaxBytesPerPartition);
    }

    [Fact]
    public async Task A_record_batch_whose_arrival_evicts_every_older_batch_is_gone_with_them()
    {
        // librdkafka's mock moves the start offset to the end when it deletes a partition's last stored batch, and it
        // does so while making room for the new one: 3 MiB after 3 MiB leaves neither readable. (A batch over 5 MiB
        // is readable only as the first of its partition, until the next one arrives.) Receivers report such ranges
        // as records-expired.
        const int recordBytes = 3 * 1024 * 1024;
        var topic = kafka.CreateTopic();
        await kafka.ProduceLargeAsync(topic, 0, new byte[recordBytes]);
        Assert.Equal(0, kafka.Watermarks(topic, 0).Low.Value);

        await kafka.ProduceLargeAsync(topic, 0, new byte[recordBytes]);

        var watermarks = kafka.Watermarks(topic, 0);
        Assert.Equal((2L, 2L), (watermarks.Low.Value, watermarks.High.Value));
    }

    [Fact]
    public void A_disposed_broker_refuses_to_create_topics()
    {
        var broker = EmbeddedKafkaBroker.Start();
        broker.Dispose();
        broker.Dispose();

        Assert.Throws<ObjectDisposedException>(() => broker.CreateTopic("late", 1));
    }

    [Fact]
    public async Task Plain_clients_produce_and_consume_with_a_group_key_value_and_headers_intact()
    {
        var topic = kafka.CreateTopic();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            var headers = new Headers
            {
                { "mlwatch-model", "tiny"u8.ToArray() },
                { "mlwatch-label", "c3"u8.ToArray() },
            };
            var delivered = await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "req-1", Value = [1, 2, 3, 255], Headers = headers });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }

        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"group-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var result = ConsumeOne(consumer);
        consumer.Close();

        Assert.Equal("req-1", result.Message.Key);
        Assert.Equal([1, 2, 3, 255], result.Message.Value);
        Assert.Equal(
            [("mlwatch-model", "tiny"), ("mlwatch-label", "c3")],
            result.Message.Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes()))));
    }

    [Fact]
    public async Task Committed_offsets_survive_the_consumer_that_committed_them()
    {
        var topic = kafka.CreateTopic();
        var group = $"group-{Guid.NewGuid():N}";
        await kafka.ProduceAsync(topic, 1, new Message<byte[]?, byte[]?> { Value = [1] }, new Message<byte[]?, byte[]?> { Value = [2] });

        using (var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = group }).Build())
        {
            consumer.Commit([new TopicPartitionOffset(topic, 1, 2)]);
            consumer.Close();
        }

        Assert.Equal(2, kafka.Committed(topic, 1, group).Value);
        Assert.Equal(Offset.Unset, kafka.Committed(topic, 0, group));
    }

    private int PartitionsSeenByAClient(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        return admin.GetMetadata(topic, Wait.Timeout).Topics.Single().Partitions.Count;
    }

    private static ConsumeResult<string, byte[]> ConsumeOne(IConsumer<string, byte[]> consumer)
    {
        // Joining the group takes a rebalance; poll until the record arrives or the deadline passes.
        var deadline = DateTime.UtcNow + Wait.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } result)
            {
                return result;
            }
        }

        Assert.Fail($"No record consumed within {Wait.Timeout.TotalSeconds} s.");
        return null!;
    }
}
