using Confluent.Kafka;

namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>The librdkafka settings of a receiver's consumer: one partition, manual commits, bounded prefetch, no silent jumps.</summary>
internal static class ReceiverConsumerConfig
{
    // Room for the Fetch response's framing (topic name, partition header) around the largest record batch.
    private const int FramingBytes = 64 * 1024;

    public static ConsumerConfig Create(string bootstrapServers, KafkaStreamOptions options) =>
        new(KafkaEndpoint.CreateClientConfig(bootstrapServers, options.ClientConfig))
        {
            GroupId = options.ConsumerGroup,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            // Never jump over records silently: librdkafka reports a missing offset, and the receiver reports the
            // range that is gone (records-expired) before it continues at the partition's start.
            AutoOffsetReset = AutoOffsetReset.Error,
            FetchWaitMaxMs = (int)options.FetchWaitMax.TotalMilliseconds,
            // Bounded prefetch: with one consumer per partition, librdkafka's defaults (64 MiB queued, 50 MiB per
            // fetch) would let 16 partitions hold gigabytes of photos. A larger batch is still fetched whole.
            QueuedMaxMessagesKbytes = options.PrefetchBytes / 1024,
            FetchMaxBytes = options.PrefetchBytes,
            MaxPartitionFetchBytes = options.PrefetchBytes,
            ReceiveMessageMaxBytes = options.MaxRecordBytes + FramingBytes,
            // The default (1 s) pauses a partition that often reaches the small queue bound.
            FetchQueueBackoffMs = 20,
        };
}
