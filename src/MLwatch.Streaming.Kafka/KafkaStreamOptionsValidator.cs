using Orleans;
using Orleans.Runtime;

namespace MLwatch.Streaming.Kafka;

/// <summary>Rejects a Kafka stream provider configuration that cannot work, naming the provider and the field.</summary>
public sealed class KafkaStreamOptionsValidator(KafkaStreamOptions options, string providerName) : IConfigurationValidator
{
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
    }

    private OrleansConfigurationException Invalid(string field, string problem) =>
        new($"Kafka stream provider '{providerName}': {nameof(KafkaStreamOptions)}.{field} {problem}.");
}
