using Orleans;
using Orleans.Runtime;

namespace MLwatch.Streaming.Kafka;

/// <summary>Rejects a Kafka stream provider configuration that cannot work, naming the provider and the field.</summary>
public sealed class KafkaStreamOptionsValidator(KafkaStreamOptions options, string providerName) : IConfigurationValidator
{
    private const int MinPrefetchBytes = 1024 * 1024;

    // receive.message.max.bytes is an int and gets framing room added (see KafkaConsumerSettings).
    private const int MaxMaxRecordBytes = 1024 * 1024 * 1024;

    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.Topic))
        {
            throw Invalid(nameof(options.Topic), "must name a Kafka topic");
        }

        if (string.IsNullOrWhiteSpace(options.StreamNamespace))
        {
            throw Invalid(nameof(options.StreamNamespace), "must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            throw Invalid(nameof(options.ConsumerGroup), "must name a consumer group");
        }

        if (options.Partitions < 0)
        {
            throw Invalid(nameof(options.Partitions), $"must be 0 (read from the broker) or positive, was {options.Partitions}");
        }

        if (options.CheckpointInterval <= TimeSpan.Zero)
        {
            throw Invalid(nameof(options.CheckpointInterval), $"must be positive, was {options.CheckpointInterval}");
        }

        if (options.ReceiveBufferSize < 1)
        {
            throw Invalid(nameof(options.ReceiveBufferSize), $"must be at least 1, was {options.ReceiveBufferSize}");
        }

        if (options.MetadataTimeout <= TimeSpan.Zero)
        {
            throw Invalid(nameof(options.MetadataTimeout), $"must be positive, was {options.MetadataTimeout}");
        }

        if (options.ReceiveBufferBytes < 1)
        {
            throw Invalid(nameof(options.ReceiveBufferBytes), $"must be at least 1, was {options.ReceiveBufferBytes}");
        }

        if (options.InFlightBytes < 1)
        {
            throw Invalid(nameof(options.InFlightBytes), $"must be at least 1, was {options.InFlightBytes}");
        }

        // librdkafka requires fetch.max.bytes >= message.max.bytes (1,000,000 by default).
        if (options.PrefetchBytes < MinPrefetchBytes)
        {
            throw Invalid(nameof(options.PrefetchBytes), $"must be at least {MinPrefetchBytes} (1 MiB), was {options.PrefetchBytes}");
        }

        if (options.MaxRecordBytes < options.PrefetchBytes || options.MaxRecordBytes > MaxMaxRecordBytes)
        {
            throw Invalid(nameof(options.MaxRecordBytes), $"must be between PrefetchBytes ({options.PrefetchBytes}) and {MaxMaxRecordBytes}, was {options.MaxRecordBytes}");
        }

        if (options.PullInterval <= TimeSpan.Zero || options.PullInterval > TimeSpan.FromSeconds(10))
        {
            throw Invalid(nameof(options.PullInterval), $"must be between 0 and 10 s, was {options.PullInterval}");
        }

        if (options.FetchWaitMax < TimeSpan.Zero || options.FetchWaitMax > TimeSpan.FromSeconds(10))
        {
            throw Invalid(nameof(options.FetchWaitMax), $"must be between 0 and 10 s, was {options.FetchWaitMax}");
        }

        if (options.StallAfter <= TimeSpan.Zero)
        {
            throw Invalid(nameof(options.StallAfter), $"must be positive, was {options.StallAfter}");
        }

        if (options.EmbeddedPartitions < 1)
        {
            throw Invalid(nameof(options.EmbeddedPartitions), $"must be at least 1, was {options.EmbeddedPartitions}");
        }

        if (options.NewTopicPartitions is 0 or < -1)
        {
            throw Invalid(nameof(options.NewTopicPartitions), $"must be positive or -1 (the broker's default), was {options.NewTopicPartitions}");
        }

        if (options.NewTopicReplicationFactor is 0 or < -1)
        {
            throw Invalid(nameof(options.NewTopicReplicationFactor), $"must be positive or -1 (the broker's default), was {options.NewTopicReplicationFactor}");
        }
    }

    private OrleansConfigurationException Invalid(string field, string problem) =>
        new($"Kafka stream provider '{providerName}': {nameof(KafkaStreamOptions)}.{field} {problem}.");
}
