using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>Read-only adapter: Kafka producers write the topic; each Orleans queue receives one partition.</summary>
internal sealed class KafkaQueueAdapter(
    string name,
    KafkaStreamOptions options,
    string bootstrapServers,
    HashRingBasedPartitionedStreamQueueMapper queueMapper,
    KafkaCheckpointer checkpointer,
    KafkaPartitionOwnership ownership,
    PartitionCommits commits,
    DeliveryFailures deliveryFailures,
    TimeProvider clock,
    ILoggerFactory loggerFactory) : IQueueAdapter
{
    public string Name => name;

    // Consumers attach at the latest position; replays come from committed Kafka offsets, not from Orleans tokens.
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var partition = int.Parse(queueMapper.QueueToPartition(queueId), CultureInfo.InvariantCulture);
        var streamId = KafkaStreamIds.ForPartition(options.StreamNamespace, partition);
        return new KafkaQueueAdapterReceiver(
            partition,
            options,
            bootstrapServers,
            streamId,
            checkpointer,
            ownership,
            commits,
            deliveryFailures,
            clock,
            loggerFactory.CreateLogger<KafkaQueueAdapterReceiver>());
    }

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException(
            $"Kafka stream provider '{name}' is read-only: produce records to Kafka topic '{options.Topic}' with any Kafka client (e.g. `mlwatch produce`).");
}
