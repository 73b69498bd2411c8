using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using MLwatch.Streaming.Kafka.Tests.Support;

namespace MLwatch.Streaming.Kafka.Tests;

/// <summary>Topics exist before anyone reads them: created on the process's embedded broker, or on an external one.</summary>
[Collection(EmbeddedKafkaCollection.Name)]
public sealed class KafkaTopicProvisionerTests(EmbeddedKafkaFixture kafka)
{
    [Fact]
    public async Task On_the_embedded_broker_of_this_process_the_request_topic_gets_the_embedded_partitions()
    {
        using var endpoint = new KafkaEndpoint(NullLogger<KafkaEndpoint>.Instance);
        var options = new KafkaStreamOptions { Topic = "requests", EmbeddedPartitions = 16 };

        var created = await Provisioner(endpoint).EnsureAsync(options, ["requests", "feedback", "deadletter", "alerts"], CancellationToken.None);

        Assert.Equal(16, created["requests"]);
        Assert.All(["feedback", "deadletter", "alerts"], t => Assert.Equal(EmbeddedKafkaBroker.DefaultPartitions, created[t]));
        Assert.Equal(16, PartitionsOf(endpoint.Embedded!.BootstrapServers, "requests"));
        // A plain consumer can subscribe at once: the topic it reads exists although nothing was written to it.
        Assert.Null(ConsumeBriefly(endpoint.Embedded.BootstrapServers, "alerts"));
    }

    [Fact]
    public async Task On_an_external_broker_without_CreateTopics_missing_topics_are_created_and_existing_ones_kept()
    {
        using var endpoint = new KafkaEndpoint(NullLogger<KafkaEndpoint>.Instance);
        var existing = kafka.CreateTopic(partitions: 2);
        var missing = $"missing-{Guid.NewGuid():N}";
        var options = new KafkaStreamOptions { BootstrapServers = kafka.BootstrapServers, Topic = existing };

        var created = await Provisioner(endpoint).EnsureAsync(options, [existing, missing], CancellationToken.None);

        Assert.Equal(2, created[existing]);
        Assert.Equal(EmbeddedKafkaBroker.DefaultPartitions, created[missing]);
        Assert.Equal(EmbeddedKafkaBroker.DefaultPartitions, PartitionsOf(kafka.BootstrapServers, missing));
        Assert.Null(endpoint.Embedded);
    }

    [Fact]
    public async Task With_topic_creation_off_nothing_is_created()
    {
        using var endpoint = new KafkaEndpoint(NullLogger<KafkaEndpoint>.Instance);
        var missing = $"missing-{Guid.NewGuid():N}";
        var options = new KafkaStreamOptions { BootstrapServers = kafka.BootstrapServers, CreateTopics = false };

        var created = await Provisioner(endpoint).EnsureAsync(options, [missing], CancellationToken.None);

        Assert.Empty(created);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        Assert.DoesNotContain(admin.GetMetadata(Wait.Timeout).Topics, t => t.Topic == missing);
    }

    [Fact]
    public async Task An_unreachable_broker_fails_with_what_to_check()
    {
        using var endpoint = new KafkaEndpoint(NullLogger<KafkaEndpoint>.Instance);
        var options = new KafkaStreamOptions { BootstrapServers = "127.0.0.1:1", MetadataTimeout = TimeSpan.FromSeconds(1) };

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Provisioner(endpoint).EnsureAsync(options, ["requests"], CancellationToken.None));

        Assert.Contains("127.0.0.1:1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Kafka:BootstrapServers", exception.Message, StringComparison.Ordinal);
    }

    private static KafkaTopicProvisioner Provisioner(KafkaEndpoint endpoint) => new(endpoint, NullLogger<KafkaTopicProvisioner>.Instance);

    private static int PartitionsOf(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        return admin.GetMetadata(Wait.Timeout).Topics.Single(t => t.Topic == topic).Partitions.Count;
    }

    /// <summary>Subscribes as a plain consumer and polls for a few seconds; throws when the topic is not available.</summary>
    private static ConsumeResult<Ignore, Ignore>? ConsumeBriefly(string bootstrapServers, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        ConsumeResult<Ignore, Ignore>? result = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (result is null && DateTime.UtcNow < deadline)
        {
            result = consumer.Consume(TimeSpan.FromMilliseconds(200));
        }

        consumer.Close();
        return result;
    }
}
