using Orleans.Runtime;

namespace MLwatch.Streaming.Kafka.Tests;

public sealed class KafkaStreamOptionsValidatorTests
{
    public static TheoryData<string, Action<KafkaStreamOptions>> InvalidFields => new()
    {
        { nameof(KafkaStreamOptions.Topic), o => o.Topic = "" },
        { nameof(KafkaStreamOptions.Topic), o => o.Topic = "  " },
        { nameof(KafkaStreamOptions.StreamNamespace), o => o.StreamNamespace = "" },
        { nameof(KafkaStreamOptions.ConsumerGroup), o => o.ConsumerGroup = " " },
        { nameof(KafkaStreamOptions.Partitions), o => o.Partitions = -1 },
        { nameof(KafkaStreamOptions.CheckpointInterval), o => o.CheckpointInterval = TimeSpan.Zero },
        { nameof(KafkaStreamOptions.CheckpointInterval), o => o.CheckpointInterval = TimeSpan.FromSeconds(-1) },
        { nameof(KafkaStreamOptions.ReceiveBufferSize), o => o.ReceiveBufferSize = 0 },
        { nameof(KafkaStreamOptions.MetadataTimeout), o => o.MetadataTimeout = TimeSpan.Zero },
        { nameof(KafkaStreamOptions.ReceiveBufferBytes), o => o.ReceiveBufferBytes = 0 },
        { nameof(KafkaStreamOptions.InFlightBytes), o => o.InFlightBytes = 0 },
        { nameof(KafkaStreamOptions.PrefetchBytes), o => o.PrefetchBytes = 500_000 },
        { nameof(KafkaStreamOptions.MaxRecordBytes), o => o.MaxRecordBytes = 1_000_000 },
        { nameof(KafkaStreamOptions.MaxRecordBytes), o => o.MaxRecordBytes = int.MaxValue },
        { nameof(KafkaStreamOptions.StallAfter), o => o.StallAfter = TimeSpan.Zero },
        { nameof(KafkaStreamOptions.EmbeddedPartitions), o => o.EmbeddedPartitions = 0 },
        { nameof(KafkaStreamOptions.NewTopicPartitions), o => o.NewTopicPartitions = 0 },
        { nameof(KafkaStreamOptions.NewTopicPartitions), o => o.NewTopicPartitions = -2 },
        { nameof(KafkaStreamOptions.NewTopicReplicationFactor), o => o.NewTopicReplicationFactor = 0 },
    };

    [Fact]
    public void Defaults_are_valid()
    {
        new KafkaStreamOptionsValidator(new KafkaStreamOptions(), "kafka").ValidateConfiguration();
    }

    [Fact]
    public void Explicit_partitions_and_an_external_broker_are_valid()
    {
        var options = new KafkaStreamOptions
        {
            BootstrapServers = "broker:9092",
            Partitions = 12,
            ReceiveBufferSize = 1,
            ReceiveBufferBytes = 1,
            InFlightBytes = 1,
            PrefetchBytes = 1024 * 1024,
            MaxRecordBytes = 1024 * 1024,
            NewTopicPartitions = -1,
            NewTopicReplicationFactor = 3,
        };

        new KafkaStreamOptionsValidator(options, "kafka").ValidateConfiguration();
    }

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public void Invalid_field_is_reported_with_the_provider_and_field_name(string field, Action<KafkaStreamOptions> breakIt)
    {
        var options = new KafkaStreamOptions();
        breakIt(options);

        var exception = Assert.Throws<OrleansConfigurationException>(() => new KafkaStreamOptionsValidator(options, "requests-kafka").ValidateConfiguration());

        Assert.Contains("'requests-kafka'", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"KafkaStreamOptions.{field} ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_problems_quote_the_bad_value()
    {
        var exception = Assert.Throws<OrleansConfigurationException>(
            () => new KafkaStreamOptionsValidator(new KafkaStreamOptions { Partitions = -3 }, "kafka").ValidateConfiguration());

        Assert.Contains("was -3", exception.Message, StringComparison.Ordinal);
    }
}
