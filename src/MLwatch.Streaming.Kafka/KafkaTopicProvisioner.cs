using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// Creates the topics an application reads and writes before anything reads them (a consumer subscribing to a topic
/// nobody created yet fails with "Subscribed topic not available"). On the embedded broker of this process the topics
/// are created directly, the request topic with <see cref="KafkaStreamOptions.EmbeddedPartitions"/> partitions and the
/// others with <see cref="EmbeddedKafkaBroker.DefaultPartitions"/>. On any other broker the missing ones are created
/// with CreateTopics (<see cref="KafkaStreamOptions.NewTopicPartitions"/>, <see cref="KafkaStreamOptions.NewTopicReplicationFactor"/>);
/// a broker without CreateTopics (librdkafka's mock, as `mlwatch broker` runs it) creates a topic when a client asks
/// for its metadata, so that is done instead.
/// </summary>
public sealed partial class KafkaTopicProvisioner(KafkaEndpoint endpoint, ILogger<KafkaTopicProvisioner> logger)
{
    /// <summary>
    /// Makes sure every topic of <paramref name="topics"/> exists, creating the missing ones, and returns each one's
    /// partition count. Does nothing when <see cref="KafkaStreamOptions.CreateTopics"/> is false. Throws, saying what to
    /// do, when a topic neither exists nor can be created. <paramref name="topicConfigs"/> gives topics created with
    /// CreateTopics their settings (e.g. "max.message.bytes" for a topic of large records); existing topics are left as they are.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> EnsureAsync(
        KafkaStreamOptions options, IEnumerable<string> topics, CancellationToken cancellationToken, IReadOnlyDictionary<string, Dictionary<string, string>>? topicConfigs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);
        var wanted = topics.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToArray();
        if (!options.CreateTopics || wanted.Length == 0)
        {
            return new Dictionary<string, int>(StringComparer.Ordinal);
        }

        var bootstrapServers = endpoint.Resolve(options.BootstrapServers);
        if (string.IsNullOrWhiteSpace(options.BootstrapServers) && endpoint.Embedded is { } broker)
        {
            return CreateOnEmbeddedBroker(broker, options, wanted);
        }

        var config = new AdminClientConfig(KafkaEndpoint.CreateClientConfig(bootstrapServers, options.ClientConfig));
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var existing = ReadPartitionCounts(admin, bootstrapServers, options.MetadataTimeout);
        var missing = wanted.Where(t => !existing.ContainsKey(t)).ToArray();
        if (missing.Length > 0)
        {
            await CreateAsync(admin, bootstrapServers, options, missing, topicConfigs, cancellationToken);
            existing = ReadPartitionCounts(admin, bootstrapServers, options.MetadataTimeout);
        }

        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in wanted)
        {
            result[topic] = existing.TryGetValue(topic, out var partitions)
                ? partitions
                : throw NotCreated(topic, bootstrapServers, "the broker accepted it, but its metadata does not list it");
        }

        return result;
    }

    private Dictionary<string, int> CreateOnEmbeddedBroker(EmbeddedKafkaBroker broker, KafkaStreamOptions options, string[] topics)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            var partitions = topic == options.Topic ? options.EmbeddedPartitions : EmbeddedKafkaBroker.DefaultPartitions;
            result[topic] = broker.CreateTopic(topic, partitions, options.MetadataTimeout);
        }

        LogEmbeddedTopics(string.Join(", ", result.Select(t => $"{t.Key} ({t.Value} partitions)")));
        return result;
    }

    private async Task CreateAsync(
        IAdminClient admin, string bootstrapServers, KafkaStreamOptions options, string[] topics, IReadOnlyDictionary<string, Dictionary<string, string>>? topicConfigs, CancellationToken cancellationToken)
    {
        var specifications = topics.Select(t => new TopicSpecification
        {
            Name = t,
            NumPartitions = options.NewTopicPartitions,
            ReplicationFactor = options.NewTopicReplicationFactor,
            Configs = topicConfigs?.GetValueOrDefault(t),
        });
        try
        {
            await admin.CreateTopicsAsync(specifications, new CreateTopicsOptions { RequestTimeout = options.MetadataTimeout, OperationTimeout = options.MetadataTimeout })
                .WaitAsync(cancellationToken);
            LogCreated(string.Join(", ", topics), bootstrapServers, options.NewTopicPartitions, options.NewTopicReplicationFactor);
        }
        catch (CreateTopicsException exception)
        {
            // Another silo may have created some at the same moment: that is success too.
            var failed = exception.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists).ToArray();
            if (failed.Length > 0)
            {
                throw NotCreated(failed[0].Topic, bootstrapServers, failed[0].Error.Reason, exception);
            }
        }
        catch (KafkaException exception) when (exception.Error.Code == ErrorCode.Local_UnsupportedFeature)
        {
            // librdkafka's mock (`mlwatch broker`) has no CreateTopics; it creates a topic on a metadata request for it.
            LogCreatingThroughMetadata(bootstrapServers, exception.Error.Reason);
            foreach (var topic in topics)
            {
                var metadata = admin.GetMetadata(topic, options.MetadataTimeout).Topics.SingleOrDefault();
                if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
                {
                    throw NotCreated(topic, bootstrapServers, metadata?.Error.Reason ?? "no metadata returned", exception);
                }
            }
        }
        catch (KafkaException exception)
        {
            throw NotCreated(topics[0], bootstrapServers, exception.Error.Reason, exception);
        }
    }

    private static Dictionary<string, int> ReadPartitionCounts(IAdminClient admin, string bootstrapServers, TimeSpan timeout)
    {
        try
        {
            return admin.GetMetadata(timeout).Topics
                .Where(t => !t.Error.IsError && t.Partitions.Count > 0)
                .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
        }
        catch (KafkaException exception)
        {
            throw new InvalidOperationException(
                $"Cannot read the topics of the Kafka cluster at {bootstrapServers}: {exception.Error.Reason}. " +
                "Check that the brokers are reachable (Kafka:BootstrapServers, MLWATCH__Kafka__BootstrapServers) and the client settings (Kafka:ClientConfig).",
                exception);
        }
    }

    private static InvalidOperationException NotCreated(string topic, string bootstrapServers, string reason, Exception? inner = null) =>
        new(
            $"Kafka topic '{topic}' does not exist at {bootstrapServers} and could not be created: {reason}. " +
            $"Create it (e.g. kafka-topics.sh --create --topic {topic} --partitions 16), allow this client to create topics, " +
            "or set Kafka:CreateTopics=false when topics are managed elsewhere.",
            inner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka broker topics: {Topics}.")]
    private partial void LogEmbeddedTopics(string topics);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Kafka topics {Topics} at {BootstrapServers} with {Partitions} partitions and replication factor {ReplicationFactor} (-1: the broker's default).")]
    private partial void LogCreated(string topics, string bootstrapServers, int partitions, short replicationFactor);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Kafka broker at {BootstrapServers} does not support CreateTopics ({Reason}); asking it for the topics' metadata instead, which creates them with its default partition count.")]
    private partial void LogCreatingThroughMetadata(string bootstrapServers, string reason);
}
