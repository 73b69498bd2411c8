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
    public void Ensure_topic_creates_four_partitions_and_is_idempotent()
    {
        var topic = $"ensure-{Guid.NewGuid():N}";

        Assert.Equal(4, kafka.Broker.CreateTopic(topic, 4));
        Assert.Equal(4, kafka.Broker.CreateTopic(topic, 4));
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
