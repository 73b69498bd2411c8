using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>
/// Receives one Kafka partition. A dedicated thread polls Confluent's blocking consumer into a bounded buffer that the
/// pulling agent drains; offsets reported delivered are committed by the <see cref="KafkaCheckpointer"/> on a timer
/// and at shutdown, never before the commit barrier has made their effects durable.
/// <para>
/// When the barrier reports that effects of uncommitted records were lost, <see cref="Rewind"/> starts a new generation:
/// the poll thread re-assigns the partition at its committed offset, records and deliveries of earlier generations are
/// dropped, and the delivered-offset tracker starts over, so nothing is committed past a lost record before it was
/// delivered again. Records of the old generation that the pulling agent has cached may still reach consumers; they
/// apply each record once, so that is harmless.
/// </para>
/// </summary>
internal sealed partial class KafkaQueueAdapterReceiver : IQueueAdapterReceiver
{
    private static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(100);

    private readonly KafkaStreamOptions _options;
    private readonly string _bootstrapServers;
    private readonly StreamId _streamId;
    private readonly KafkaCheckpointer _checkpointer;
    private readonly KafkaPartitionOwnership _ownership;
    private readonly PartitionCommits _commits;
    private readonly ILogger _logger;
    private readonly Channel<(KafkaRecord Record, int Generation)> _buffer;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private DeliveredOffsetTracker _tracker = new();
    private int _generation;
    private long _sequenceNumber = -1;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private Thread? _pollThread;
    private Task? _checkpointLoop;
    private long _committedThrough = -1;

    public KafkaQueueAdapterReceiver(
        int partition,
        KafkaStreamOptions options,
        string bootstrapServers,
        StreamId streamId,
        KafkaCheckpointer checkpointer,
        KafkaPartitionOwnership ownership,
        PartitionCommits commits,
        ILogger logger)
    {
        _ownership = ownership;
        Partition = partition;
        _options = options;
        _bootstrapServers = bootstrapServers;
        _streamId = streamId;
        _checkpointer = checkpointer;
        _commits = commits;
        _logger = logger;
        Source = new KafkaPartition(options.Topic, partition);
        _buffer = Channel.CreateBounded<(KafkaRecord, int)>(new BoundedChannelOptions(options.ReceiveBufferSize)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Partition { get; }

    /// <summary>The topic and partition received.</summary>
    public KafkaPartition Source { get; }

    /// <summary>Highest offset whose record, and every one before it, was delivered to all consumers (in the current generation).</summary>
    public long DeliveredThrough
    {
        get
        {
            lock (_lock)
            {
                return _tracker.DeliveredThrough;
            }
        }
    }

    /// <summary>How many times the receiver rewound to its last commit.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Highest offset committed to Kafka by this receiver (-1 before the first commit).</summary>
    public long CommittedThrough => Interlocked.Read(ref _committedThrough);

    public Task Initialize(TimeSpan timeout)
    {
        var config = new ConsumerConfig(KafkaEndpoint.CreateClientConfig(_bootstrapServers, _options.ClientConfig))
        {
            GroupId = _options.ConsumerGroup,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
        };
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => LogKafkaError(_options.Topic, Partition, error.Reason))
            .SetLogHandler((_, message) => LogKafkaClientMessage(message.Level.ToString(), message.Message))
            .Build();
        _consumer.Assign(new TopicPartitionOffset(_options.Topic, Partition, Offset.Stored));
        _pollThread = new Thread(Poll) { IsBackground = true, Name = $"kafka-poll-{_options.Topic}-{Partition}" };
        _pollThread.Start();
        _checkpointLoop = Task.Run(RunCheckpointsAsync);
        _ownership.Acquired(_options.Topic, Partition);
        LogStarted(_options.Topic, Partition, _options.ConsumerGroup);
        return Task.CompletedTask;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var limit = maxCount is <= 0 or QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG ? _options.ReceiveBufferSize : maxCount;
        var batch = new List<IBatchContainer>(Math.Min(limit, 256));
        lock (_lock)
        {
            while (batch.Count < limit && _buffer.Reader.TryRead(out var entry))
            {
                // Read before the last rewind, from the old position: the re-assigned consumer reads it again.
                if (entry.Generation != _generation)
                {
                    continue;
                }

                _tracker.HandedOut(entry.Record.Offset);
                _sequenceNumber = Math.Max(_sequenceNumber + 1, entry.Record.Offset);
                batch.Add(new KafkaBatchContainer(_streamId, entry.Record, _sequenceNumber, entry.Generation));
            }
        }

        return Task.FromResult<IList<IBatchContainer>>(batch);
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var message in messages)
            {
                // A delivery of an earlier generation says nothing about the records handed out since the rewind.
                var container = (KafkaBatchContainer)message;
                if (container.Generation == _generation)
                {
                    _tracker.Delivered(container.Record.Offset);
                }
            }
        }

        return Task.CompletedTask;
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        await _stopping.CancelAsync();
        _pollThread?.Join(timeout);
        if (_checkpointLoop is not null)
        {
            await _checkpointLoop;
        }

        try
        {
            // Commit what was delivered before letting go of the partition, so the next owner replays as little as possible.
            using var deadline = new CancellationTokenSource(timeout);
            await _checkpointer.CheckpointAsync(this, deadline.Token);
            LogStopped(_options.Topic, Partition, CommittedThrough, PendingDeliveries);
        }
        finally
        {
            _ownership.Released(_options.Topic, Partition);
            // Release the consumer even when the final flush ran out of time; what it did not commit is replayed.
            _consumer?.Close();
            _consumer?.Dispose();
            _consumer = null;
        }
    }

    /// <summary>Commits <paramref name="deliveredThrough"/>: Kafka's committed offset is the next record to read.</summary>
    public void Commit(long deliveredThrough)
    {
        var consumer = _consumer ?? throw new InvalidOperationException($"Partition {Partition} receiver is not initialized.");
        consumer.Commit([new TopicPartitionOffset(_options.Topic, Partition, deliveredThrough + 1)]);
        Interlocked.Exchange(ref _committedThrough, deliveredThrough);
        _commits.Committed(Source, deliveredThrough + 1);
    }

    /// <summary>
    /// Goes back to the last committed offset: records handed out since are forgotten (their deliveries no longer count)
    /// and read again from Kafka. Called instead of <see cref="Commit"/> when effects of uncommitted records were lost.
    /// </summary>
    public void Rewind()
    {
        int pending;
        long deliveredThrough;
        lock (_lock)
        {
            pending = _tracker.Pending;
            deliveredThrough = _tracker.DeliveredThrough;
            _tracker = new DeliveredOffsetTracker();
            // The poll thread sees the new generation before its next read and re-assigns the partition first.
            Interlocked.Increment(ref _generation);
        }

        LogRewinding(_options.Topic, Partition, CommittedThrough, deliveredThrough, pending);
    }

    private int PendingDeliveries
    {
        get
        {
            lock (_lock)
            {
                return _tracker.Pending;
            }
        }
    }

    private async Task RunCheckpointsAsync()
    {
        using var timer = new PeriodicTimer(_options.CheckpointInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await _checkpointer.CheckpointAsync(this, _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private void Poll()
    {
        var consumer = _consumer!;
        var token = _stopping.Token;
        var positionGeneration = 0;
        PublishGroupCommit(consumer);
        while (!token.IsCancellationRequested)
        {
            try
            {
                var generation = Volatile.Read(ref _generation);
                if (generation != positionGeneration)
                {
                    // Re-assigning at the stored offset drops what librdkafka fetched ahead and resumes at the committed offset.
                    consumer.Assign(new TopicPartitionOffset(_options.Topic, Partition, Offset.Stored));
                    positionGeneration = generation;
                }

                // Short waits, so that a rewind is seen even while the partition is idle.
                var result = consumer.Consume(PollWait);
                if (result?.Message is null)
                {
                    continue;
                }

                var record = (ToRecord(result), generation);
                while (!_buffer.Writer.TryWrite(record))
                {
                    // Back-pressure: the agent has not drained the buffer yet.
                    _buffer.Writer.WaitToWriteAsync(token).AsTask().GetAwaiter().GetResult();
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (KafkaException exception)
            {
                // Consuming failed, or re-assigning for a rewind did (it is retried: the generation still differs).
                LogConsumeFailed(exception, _options.Topic, Partition, exception.Error.Reason);
                token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>
    /// Makes the group's committed offset, where this receiver starts, known to consumers before this receiver's first
    /// commit (everything below it is durable wherever it was applied, whichever silo committed it).
    /// </summary>
    private void PublishGroupCommit(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            var committed = consumer.Committed([new TopicPartition(_options.Topic, Partition)], _options.MetadataTimeout).Single().Offset;
            if (committed.Value > 0)
            {
                _commits.Committed(Source, committed.Value);
            }
        }
        catch (KafkaException exception)
        {
            // Only an optimization: consumers compact once this receiver commits.
            LogGroupCommitUnknown(_options.Topic, Partition, exception.Error.Reason);
        }
    }

    private static KafkaRecord ToRecord(ConsumeResult<byte[]?, byte[]?> result)
    {
        var message = result.Message;
        var headers = message.Headers is { Count: > 0 } source
            ? source.Select(h => new KafkaHeader(h.Key, h.GetValueBytes() ?? [])).ToArray()
            : [];
        // Raw key bytes and the raw timestamp: converting untrusted fields here could throw on the poll thread.
        return new KafkaRecord(
            result.Topic,
            result.Partition.Value,
            result.Offset.Value,
            message.Key,
            message.Value ?? [],
            headers,
            message.Timestamp.UnixTimestampMs);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Receiving Kafka topic {Topic} partition {Partition} as consumer group {ConsumerGroup}, from its committed offset.")]
    private partial void LogStarted(string topic, int partition, string consumerGroup);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped receiving Kafka topic {Topic} partition {Partition}; committed through offset {CommittedThrough}, {Pending} records handed out but not yet delivered will be replayed by the next owner.")]
    private partial void LogStopped(string topic, int partition, long committedThrough, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rewinding Kafka topic {Topic} partition {Partition} to its committed offset (this receiver committed through {CommittedThrough}; -1: none yet): effects of uncommitted records were lost with a grain activation before being persisted. Everything after the commit is read and delivered again, and consumers apply only what they lack; dropped: delivered through {DeliveredThrough}, {Pending} in flight.")]
    private partial void LogRewinding(string topic, int partition, long committedThrough, long deliveredThrough, int pending);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the committed offset of Kafka topic {Topic} partition {Partition} at start ({Reason}); consumers learn it at this receiver's first commit.")]
    private partial void LogGroupCommitUnknown(string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka error on topic {Topic} partition {Partition}: {Reason}")]
    private partial void LogKafkaError(string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka [{Level}]: {Message}")]
    private partial void LogKafkaClientMessage(string level, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consuming Kafka topic {Topic} partition {Partition} failed ({Reason}); retrying in 1 s.")]
    private partial void LogConsumeFailed(Exception exception, string topic, int partition, string reason);
}
