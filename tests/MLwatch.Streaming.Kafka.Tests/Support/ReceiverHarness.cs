using System.Text;
using Confluent.Kafka;
using MLwatch.Streaming.Kafka.Providers;
using Orleans.Streams;

namespace MLwatch.Streaming.Kafka.Tests.Support;

/// <summary>
/// Receivers of one partition of a fresh topic on the shared embedded broker, with a recording commit barrier and
/// logs, and helpers that pull like Orleans' pulling agent. Each test uses its own harness (topic and group).
/// </summary>
internal sealed class ReceiverHarness(EmbeddedKafkaFixture kafka) : IAsyncDisposable
{
    public const int Partition = 2;
    public const string StreamNamespace = "test.requests";

    private readonly List<KafkaQueueAdapterReceiver> _receivers = [];

    public string Topic { get; } = kafka.CreateTopic();

    public string Group { get; } = $"group-{Guid.NewGuid():N}";

    public RecordingCommitBarrier Barrier { get; } = new();

    public RecordingLogger<KafkaCheckpointer> CheckpointLog { get; } = new();

    public RecordingLogger<KafkaQueueAdapterReceiver> ReceiverLog { get; } = new();

    public PartitionCommits Commits { get; } = new();

    public KafkaPartitionOwnership Ownership { get; } = new();

    public DeliveryFailures DeliveryFailures { get; } = new(TimeProvider.System);

    public KafkaPartition Source => new(Topic, Partition);

    public async Task<KafkaQueueAdapterReceiver> StartAsync(
        Action<KafkaStreamOptions>? configure = null,
        PartitionCommits? commits = null,
        Func<ConsumeResult<byte[]?, byte[]?>, KafkaRecord>? convert = null)
    {
        var options = new KafkaStreamOptions
        {
            BootstrapServers = kafka.BootstrapServers,
            Topic = Topic,
            StreamNamespace = StreamNamespace,
            ConsumerGroup = Group,
            CheckpointInterval = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        var receiver = new KafkaQueueAdapterReceiver(
            Partition,
            options,
            kafka.BootstrapServers,
            KafkaStreamIds.ForPartition(StreamNamespace, Partition),
            new KafkaCheckpointer("test-kafka", Barrier, CheckpointLog),
            Ownership,
            commits ?? Commits,
            DeliveryFailures,
            TimeProvider.System,
            ReceiverLog)
        {
            ConvertRecord = convert ?? KafkaQueueAdapterReceiver.ToRecord,
        };
        _receivers.Add(receiver);
        await receiver.Initialize(Wait.Timeout);
        return receiver;
    }

    public async Task ShutdownAsync(KafkaQueueAdapterReceiver receiver)
    {
        _receivers.Remove(receiver);
        await receiver.Shutdown(Wait.Timeout);
    }

    /// <summary>Forgets <paramref name="receiver"/> without shutting it down (the test does that itself).</summary>
    public void Forget(KafkaQueueAdapterReceiver receiver) => _receivers.Remove(receiver);

    /// <summary>Produces records valued <paramref name="firstValue"/>.. to the partition, keyed "req-{value}".</summary>
    public Task<IReadOnlyList<long>> ProduceAsync(int count, int firstValue = 0) =>
        kafka.ProduceAsync(Topic, Partition, [.. Enumerable.Range(firstValue, count).Select(i => Message(i, $"req-{i}"))]);

    /// <summary>Pulls like the pulling agent until <paramref name="count"/> records were handed out.</summary>
    public static async Task<IList<IBatchContainer>> DrainAsync(KafkaQueueAdapterReceiver receiver, int count, int maxCount = QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG)
    {
        var containers = new List<IBatchContainer>();
        var deadline = DateTime.UtcNow + Wait.Timeout;
        while (containers.Count < count)
        {
            var batch = await receiver.GetQueueMessagesAsync(maxCount, CancellationToken.None);
            Assert.True(maxCount <= 0 || batch.Count <= maxCount, $"{batch.Count} records handed out, asked for at most {maxCount}.");
            containers.AddRange(batch);
            if (batch.Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{containers.Count} of {count} records received within {Wait.Timeout.TotalSeconds} s.");
                await Task.Delay(20);
            }
        }

        Assert.Equal(count, containers.Count);
        return containers;
    }

    /// <summary>Pulls like the pulling agent until <paramref name="done"/> holds for everything handed out so far.</summary>
    public static async Task<IList<IBatchContainer>> DrainUntilAsync(KafkaQueueAdapterReceiver receiver, Func<IReadOnlyList<KafkaRecord>, bool> done)
    {
        var containers = new List<IBatchContainer>();
        var deadline = DateTime.UtcNow + Wait.Timeout;
        while (!done(Records(containers)))
        {
            var batch = await receiver.GetQueueMessagesAsync(QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG, CancellationToken.None);
            containers.AddRange(batch);
            if (batch.Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"not done within {Wait.Timeout.TotalSeconds} s; handed out: {string.Join(", ", Records(containers).Select(Describe))}");
                await Task.Delay(20);
            }
        }

        return containers;
    }

    /// <summary>"{offset}", or "expired {from}..{to}" for a notice.</summary>
    public static string Describe(KafkaRecord record) =>
        record.IsExpiredRange ? $"expired {record.ExpiredFromOffset}..{record.Offset}" : record.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static List<KafkaRecord> Records(IEnumerable<IBatchContainer> containers) =>
        [.. containers.Select(c => ((KafkaBatchContainer)c).Record)];

    public static Message<byte[]?, byte[]?> Message(int value, string? key, params (string Key, string Value)[] headers)
    {
        var message = new Message<byte[]?, byte[]?> { Key = key is null ? null : Encoding.UTF8.GetBytes(key), Value = [(byte)value] };
        if (headers.Length > 0)
        {
            message.Headers = new Headers();
            foreach (var (name, text) in headers)
            {
                message.Headers.Add(name, Encoding.UTF8.GetBytes(text));
            }
        }

        return message;
    }

    public async ValueTask DisposeAsync()
    {
        Barrier.Release();
        foreach (var receiver in _receivers)
        {
            await receiver.Shutdown(Wait.Timeout);
        }
    }
}
