using System.Diagnostics;
using Confluent.Kafka;

namespace MLwatch.Cli.Producing.Pacing;

/// <summary>
/// Paces a producer by how much of what it sent the consumer group has not committed yet, per partition. The embedded
/// broker (librdkafka's mock cluster) keeps at most 5 MiB and 100,000 records per partition and deletes the oldest
/// beyond that, read or not; producing faster than the pipeline reads would make records vanish before they were
/// read. So against it, "as fast as possible" means "as fast as the pipeline takes them": a record goes to the
/// partition with the least unread bytes that has room under the budget, and waits while none has.
/// <para>
/// The commit is the safe mark: records after it may still be read again after a crash (the pipeline rewinds to it),
/// so they must stay on the broker. The group's committed offsets are read with OffsetFetch; this client never joins
/// the group and never commits.
/// </para>
/// </summary>
public sealed class ConsumerLagPacer : IDisposable
{
    /// <summary>Unread bytes allowed per partition by default: 4 MiB, under the embedded broker's 5 MiB with room for record overhead.</summary>
    public const long DefaultMaxUnreadBytes = 4L * 1024 * 1024;

    /// <summary>Unread records allowed per partition by default, under the embedded broker's 100,000.</summary>
    public const int DefaultMaxUnreadRecords = 80_000;

    /// <summary>
    /// The largest record the embedded broker keeps reliably: when a new batch makes it delete every older batch of its
    /// partition, it loses the new one too (librdkafka's mock moves the partition's start past it), so two batches in a
    /// row must fit in its 5 MiB together. Half of it, less a margin for batch framing.
    /// </summary>
    public const long MaxRecordBytes = (5L * 1024 * 1024 / 2) - (32 * 1024);

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ReportWaitingAfter = TimeSpan.FromSeconds(15);

    private readonly IConsumer<byte[]?, byte[]?> _reader;
    private readonly TopicPartition[] _partitions;
    private readonly TextWriter _log;
    private readonly Stopwatch _sinceRefresh = Stopwatch.StartNew();

    private ConsumerLagPacer(IConsumer<byte[]?, byte[]?> reader, string topic, string group, UnreadLedger ledger, TextWriter log)
    {
        _reader = reader;
        Topic = topic;
        Group = group;
        Ledger = ledger;
        _log = log;
        _partitions = [.. Enumerable.Range(0, ledger.PartitionCount).Select(p => new TopicPartition(topic, p))];
    }

    /// <summary>The topic produced to.</summary>
    public string Topic { get; }

    /// <summary>The consumer group whose commits pace the producer.</summary>
    public string Group { get; }

    /// <summary>What was sent and not yet committed, per partition.</summary>
    public UnreadLedger Ledger { get; }

    /// <summary>Starts pacing production to <paramref name="topic"/> at <paramref name="bootstrapServers"/> by the commits of <paramref name="group"/>.</summary>
    public static ConsumerLagPacer Start(
        string bootstrapServers,
        string topic,
        string group,
        TextWriter log,
        long maxUnreadBytes = DefaultMaxUnreadBytes,
        int maxUnreadRecords = DefaultMaxUnreadRecords)
    {
        var partitions = BrokerProbe.PartitionCount(bootstrapServers, topic);
        var reader = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        return new ConsumerLagPacer(reader, topic, group, new UnreadLedger(partitions, maxUnreadBytes, maxUnreadRecords), log);
    }

    /// <summary>
    /// Waits until some partition has room for a record of <paramref name="bytes"/> and returns it, reserved. Says on
    /// the log, once per wait, when the group has not made room for a while (no pipeline reading, or a slow one).
    /// </summary>
    public async ValueTask<int> ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        if (bytes > MaxRecordBytes)
        {
            throw new InvalidOperationException(
                $"A record of {bytes} bytes cannot go through the embedded broker: it keeps 5 MiB per partition and loses a batch that evicts every older one, " +
                $"so records over {MaxRecordBytes} bytes cannot follow one another. Send such images as path references (produce --paths) or use a real Kafka.");
        }

        if (_sinceRefresh.Elapsed >= RefreshInterval)
        {
            Refresh();
        }

        if (Ledger.TryReserve(bytes) is { } partition)
        {
            return partition;
        }

        var waiting = Stopwatch.StartNew();
        var reported = false;
        while (true)
        {
            await Task.Delay(25, cancellationToken);
            Refresh();
            if (Ledger.TryReserve(bytes) is { } ready)
            {
                return ready;
            }

            if (!reported && waiting.Elapsed > ReportWaitingAfter)
            {
                reported = true;
                var (unreadBytes, unreadRecords) = Ledger.TotalUnread();
                await _log.WriteLineAsync(
                    $"Waiting for consumer group '{Group}' to read {Topic}: {unreadRecords} records ({unreadBytes / 1048576.0:F1} MiB) sent and not yet committed, " +
                    $"the most the embedded broker can hold safely ({Ledger.MaxBytes / 1048576.0:F0} MiB per partition). Is a silo with Kafka:ConsumerGroup '{Group}' running on this broker?");
            }
        }
    }

    /// <summary>Reads the group's committed offsets; a failed read leaves the ledger as it was (it is retried on the next call).</summary>
    private void Refresh()
    {
        _sinceRefresh.Restart();
        try
        {
            foreach (var committed in _reader.Committed(_partitions, TimeSpan.FromSeconds(5)))
            {
                if (committed.Offset.Value >= 0)
                {
                    Ledger.Committed(committed.Partition.Value, committed.Offset.Value);
                }
            }
        }
        catch (KafkaException)
        {
            // The coordinator is not reachable right now: wait with what is known.
        }
    }

    public void Dispose() => _reader.Dispose();
}
