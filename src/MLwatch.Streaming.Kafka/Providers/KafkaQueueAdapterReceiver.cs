using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>
/// Receives one Kafka partition. A dedicated thread polls Confluent's blocking consumer into a buffer bounded by count
/// and bytes that the pulling agent drains; offsets reported delivered are committed by the <see cref="KafkaCheckpointer"/>
/// on a timer and at shutdown, never before the commit barrier has made their effects durable.
/// <para>
/// When the barrier reports that effects of uncommitted records were lost, <see cref="Rewind"/> starts a new generation:
/// the poll thread re-assigns the partition at its committed offset, records and deliveries of earlier generations are
/// dropped, and the delivered-offset tracker starts over, so nothing is committed past a lost record before it was
/// delivered again. Records of the old generation that the pulling agent has cached may still reach consumers; they
/// apply each record once, so that is harmless.
/// </para>
/// <para>
/// Nothing is skipped silently: the consumer never resets its offset on its own (<c>auto.offset.reset=error</c>). When
/// the next offset is gone (deleted by retention or the embedded broker's size limit before it was read, including
/// after a rewind to a deleted commit), the receiver puts a <see cref="KafkaRecord.Expired"/> notice for the lost range
/// in the buffer, where it is handed out, delivered and committed like a record (consumers dead-letter it once), logs one
/// warning and continues at the partition's start offset. A consumer group with no committed offset starts at the
/// beginning, which loses nothing.
/// </para>
/// <para>
/// The poll thread cannot die or hang on a record: every failure around consuming and converting is caught, logged once
/// (with its stack) per run of failures, and retried after a backoff; the record it failed on is kept, not skipped, and
/// the partition's status shows the error until reading recovers. About every second the thread refreshes the
/// partition's watermarks and decides whether it is stalled (<see cref="KafkaStreamOptions.StallAfter"/>).
/// </para>
/// </summary>
internal sealed partial class KafkaQueueAdapterReceiver : IQueueAdapterReceiver
{
    private static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WatermarkTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KafkaRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly KafkaStreamOptions _options;
    private readonly string _bootstrapServers;
    private readonly StreamId _streamId;
    private readonly KafkaCheckpointer _checkpointer;
    private readonly KafkaPartitionOwnership _ownership;
    private readonly PartitionCommits _commits;
    private readonly DeliveryFailures _deliveryFailures;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ReceiveBuffer _buffer;
    private readonly StallWatch _stall;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private DeliveredOffsetTracker _tracker = new();
    private int _generation;
    private long _sequenceNumber = -1;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    // The poll thread and Shutdown each hold the consumer; the last to let go closes it. librdkafka aborts the process
    // (a failed mutex assertion) when a consumer is closed while another thread is still inside Consume.
    private int _consumerHolders;
    private IDisposable? _ownershipEntry;
    private Thread? _pollThread;
    private Task? _checkpointLoop;
    private long _committedThrough = -1;

    // Written by the poll thread (and deliveries), read by Status() on any thread.
    private long _startOffset = -1;
    private long _endOffset = -1;
    private long _fetchedThrough = -1;
    private long _groupCommitted = -1;
    private long _expiredRecords;
    private long _lastDeliveryTicks;
    private volatile string? _readError;

    public KafkaQueueAdapterReceiver(
        int partition,
        KafkaStreamOptions options,
        string bootstrapServers,
        StreamId streamId,
        KafkaCheckpointer checkpointer,
        KafkaPartitionOwnership ownership,
        PartitionCommits commits,
        DeliveryFailures deliveryFailures,
        TimeProvider clock,
        ILogger logger)
    {
        _ownership = ownership;
        Partition = partition;
        _options = options;
        _bootstrapServers = bootstrapServers;
        _streamId = streamId;
        _checkpointer = checkpointer;
        _commits = commits;
        _deliveryFailures = deliveryFailures;
        _clock = clock;
        _logger = logger;
        Source = new KafkaPartition(options.Topic, partition);
        _buffer = new ReceiveBuffer(options.ReceiveBufferSize, options.ReceiveBufferBytes);
        _stall = new StallWatch(options.StallAfter);
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

    /// <summary>The most bytes the receive buffer held at once.</summary>
    public long PeakBufferedBytes => _buffer.PeakBytes;

    /// <summary>Turns a consumed record into a <see cref="KafkaRecord"/>; a seam for tests to inject a failure.</summary>
    internal Func<ConsumeResult<byte[]?, byte[]?>, KafkaRecord> ConvertRecord { get; init; } = ToRecord;

    public Task Initialize(TimeSpan timeout)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(ReceiverConsumerConfig.Create(_bootstrapServers, _options))
            .SetErrorHandler((_, error) => LogKafkaError(_options.Topic, Partition, error.Reason))
            .SetLogHandler((_, message) => LogKafkaClientMessage(message.Level.ToString(), message.Message))
            .Build();
        _consumer.Assign(new TopicPartitionOffset(_options.Topic, Partition, Offset.Stored));
        _consumerHolders = 2;
        _pollThread = new Thread(Poll) { IsBackground = true, Name = $"kafka-poll-{_options.Topic}-{Partition}" };
        _pollThread.Start();
        _checkpointLoop = Task.Run(RunCheckpointsAsync);
        _ownershipEntry = _ownership.Acquire(Source, Status);
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
            while (batch.Count < limit && _buffer.TryPeek(out var entry))
            {
                // Read before the last rewind, from the old position: the re-assigned consumer reads it again.
                if (entry.Generation != _generation)
                {
                    _buffer.TryTake(out _);
                    continue;
                }

                // Orleans' queue cache bounds records, not bytes: keep what waits for delivery within the byte budget,
                // but always let one record through, however large, so a huge record cannot block its partition.
                if (_tracker.InFlightRecords > 0 && _tracker.InFlightBytes + entry.Bytes > _options.InFlightBytes)
                {
                    break;
                }

                _buffer.TryTake(out _);
                _tracker.HandedOut(entry.Record.Offset, entry.Bytes);
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
        var delivered = false;
        lock (_lock)
        {
            foreach (var message in messages)
            {
                // A delivery of an earlier generation says nothing about the records handed out since the rewind.
                var container = (KafkaBatchContainer)message;
                if (container.Generation == _generation)
                {
                    _tracker.Delivered(container.Record.Offset);
                    delivered = true;
                }
            }
        }

        if (delivered)
        {
            Interlocked.Exchange(ref _lastDeliveryTicks, _clock.GetUtcNow().UtcTicks);
        }

        return Task.CompletedTask;
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        await _stopping.CancelAsync();
        if (_pollThread is not null && !_pollThread.Join(timeout))
        {
            LogPollThreadSlowToStop(_options.Topic, Partition, timeout);
        }
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
            _ownershipEntry?.Dispose();
            // Release the consumer even when the final flush ran out of time; what it did not commit is replayed.
            ReleaseConsumer();
        }
    }

    /// <summary>Lets go of the consumer; the last holder (Shutdown or the poll thread) closes and disposes it.</summary>
    private void ReleaseConsumer()
    {
        if (Interlocked.Decrement(ref _consumerHolders) == 0 && Interlocked.Exchange(ref _consumer, null) is { } consumer)
        {
            consumer.Close();
            consumer.Dispose();
        }
    }

    /// <summary>Commits <paramref name="deliveredThrough"/>: Kafka's committed offset is the next record to read.</summary>
    public void Commit(long deliveredThrough)
    {
        var consumer = _consumer ?? throw new InvalidOperationException($"Partition {Partition} receiver is not running (not initialized yet, or shut down).");
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
            _buffer.Clear();
            // The poll thread sees the new generation before its next read and re-assigns the partition first.
            Interlocked.Increment(ref _generation);
        }

        LogRewinding(_options.Topic, Partition, CommittedThrough, deliveredThrough, pending);
    }

    /// <summary>The partition's status now (see <see cref="KafkaPartitionStatus"/>).</summary>
    public KafkaPartitionStatus Status()
    {
        long deliveredThrough, handedOutThrough, inFlightBytes;
        int inFlightRecords;
        lock (_lock)
        {
            deliveredThrough = _tracker.DeliveredThrough;
            handedOutThrough = _tracker.HandedOutThrough;
            inFlightRecords = _tracker.InFlightRecords;
            inFlightBytes = _tracker.InFlightBytes;
        }

        var bufferedRecords = _buffer.Count;
        var bufferedBytes = _buffer.Bytes;
        var start = Interlocked.Read(ref _startOffset);
        var end = Interlocked.Read(ref _endOffset);
        var committedThrough = CommittedThrough;
        var committed = committedThrough >= 0 ? committedThrough + 1 : Interlocked.Read(ref _groupCommitted);

        // Lag: what Kafka has (at least what was fetched) minus the next offset to deliver, which is never below the
        // commit or the partition's start (records below it are gone; their notice waits in the buffer or in flight).
        var knownEnd = Math.Max(end, Interlocked.Read(ref _fetchedThrough) + 1);
        var next = Math.Max(Math.Max(deliveredThrough + 1, committed), start);
        var lag = Math.Max(0, knownEnd - next);

        var failures = _deliveryFailures.Current(Source);
        var waiting = (lag > 0 || bufferedRecords > 0 || inFlightRecords > 0) switch
        {
            false => KafkaBacklogStage.None,
            true when inFlightRecords > 0 => failures is null ? KafkaBacklogStage.HandedOut : KafkaBacklogStage.DeliveryFailing,
            true when bufferedRecords > 0 => KafkaBacklogStage.ReceiveBuffer,
            true => KafkaBacklogStage.NotFetched,
        };
        var stalledSince = _stall.StalledSince;
        return new KafkaPartitionStatus(
            _options.Topic,
            Partition,
            start,
            end,
            committed,
            deliveredThrough,
            handedOutThrough,
            lag,
            bufferedRecords,
            bufferedBytes,
            inFlightRecords,
            inFlightBytes,
            LastDeliveryAt(),
            failures,
            Interlocked.Read(ref _expiredRecords),
            stalledSince is not null,
            stalledSince,
            waiting,
            _readError);
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

    private TopicPartition TopicPartition => new(_options.Topic, new Partition(Partition));

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
        try
        {
            PollUntilStopped(consumer, token);
        }
        finally
        {
            ReleaseConsumer();
        }
    }

    private void PollUntilStopped(IConsumer<byte[]?, byte[]?> consumer, CancellationToken token)
    {
        var positionGeneration = 0;
        // Each step keeps its result until the next one succeeded, so a failure retries the step instead of losing a record.
        ConsumeResult<byte[]?, byte[]?>? consumed = null;
        ReceiveBuffer.Entry? admitting = null;
        long? offsetGone = null;
        var nextStatusAt = DateTimeOffset.MinValue;
        var failures = 0;
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
                    (consumed, admitting, offsetGone) = (null, null, null);
                    positionGeneration = generation;
                }

                var now = _clock.GetUtcNow();
                if (now >= nextStatusAt)
                {
                    nextStatusAt = now + StatusInterval;
                    RefreshStatus(consumer, now);
                }

                if (offsetGone is { } expected)
                {
                    admitting = ContinueAfterMissingOffset(consumer, expected, generation);
                    offsetGone = null;
                }

                if (admitting is { } entry)
                {
                    if (!_buffer.TryAdd(entry))
                    {
                        // Back-pressure: the agent has not drained the buffer yet.
                        _buffer.WaitForRoom(entry.Bytes, PollWait);
                        continue;
                    }

                    admitting = null;
                }

                if (consumed is null)
                {
                    try
                    {
                        // Short waits, so that a rewind and the status are seen even while the partition is idle.
                        consumed = consumer.Consume(PollWait);
                    }
                    catch (ConsumeException exception) when (exception.Error.Code is ErrorCode.Local_AutoOffsetReset or ErrorCode.OffsetOutOfRange)
                    {
                        // librdkafka stopped fetching the partition: its next offset is not there (or there is no commit).
                        offsetGone = exception.ConsumerRecord?.TopicPartitionOffset?.Offset.Value ?? Offset.Unset.Value;
                        continue;
                    }
                }

                if (consumed?.Message is null)
                {
                    consumed = null;
                    ReadRecovered(ref failures);
                    continue;
                }

                var record = ConvertRecord(consumed);
                admitting = new ReceiveBuffer.Entry(record, generation, RecordFootprint.Of(record));
                consumed = null;
                InterlockedMax(ref _fetchedThrough, record.Offset);
                ReadRecovered(ref failures);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Consuming, converting, re-assigning or reading watermarks failed; the step is retried after a pause.
                failures++;
                var delay = exception is KafkaException
                    ? KafkaRetryDelay
                    : TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, KafkaRetryDelay.Ticks << Math.Min(failures - 1, 5)));
                _readError = $"{exception.GetType().Name}: {exception.Message}";
                if (failures == 1)
                {
                    LogReadFailed(exception, _options.Topic, Partition, _readError, delay);
                }
                else
                {
                    LogReadFailedAgain(_options.Topic, Partition, failures, _readError);
                }

                token.WaitHandle.WaitOne(delay);
            }
        }
    }

    private void ReadRecovered(ref int failures)
    {
        if (failures > 0)
        {
            LogReadRecovered(_options.Topic, Partition, failures);
            failures = 0;
        }

        _readError = null;
    }

    /// <summary>
    /// librdkafka found the partition's next offset <paramref name="expected"/> missing. Re-positions the consumer and
    /// returns the notice of the records lost, if any.
    /// </summary>
    private ReceiveBuffer.Entry? ContinueAfterMissingOffset(IConsumer<byte[]?, byte[]?> consumer, long expected, int generation)
    {
        if (expected < 0)
        {
            // No committed offset: a new consumer group reads from the beginning, which loses nothing.
            consumer.Assign(new TopicPartitionOffset(TopicPartition, Offset.Beginning));
            LogNoCommittedOffset(_options.Topic, Partition, _options.ConsumerGroup);
            return null;
        }

        var watermarks = consumer.QueryWatermarkOffsets(TopicPartition, WatermarkTimeout);
        StoreWatermarks(watermarks);
        if (expected < watermarks.Low.Value)
        {
            var notice = KafkaRecord.Expired(_options.Topic, Partition, expected, watermarks.Low.Value - 1);
            consumer.Assign(new TopicPartitionOffset(TopicPartition, watermarks.Low));
            Interlocked.Add(ref _expiredRecords, notice.RecordCount);
            LogRecordsExpired(_options.Topic, Partition, expected, notice.Offset, notice.RecordCount, _options.ConsumerGroup, watermarks.Low.Value);
            return new ReceiveBuffer.Entry(notice, generation, RecordFootprint.Of(notice));
        }

        if (expected > watermarks.High.Value)
        {
            consumer.Assign(new TopicPartitionOffset(TopicPartition, watermarks.High));
            LogOffsetBeyondEnd(_options.Topic, Partition, expected, watermarks.High.Value);
            return null;
        }

        // In range again (it was just past the end when fetched): read it.
        consumer.Assign(new TopicPartitionOffset(TopicPartition, expected));
        return null;
    }

    /// <summary>Refreshes the watermarks and decides whether the partition is stalled, logging each change once.</summary>
    private void RefreshStatus(IConsumer<byte[]?, byte[]?> consumer, DateTimeOffset now)
    {
        try
        {
            StoreWatermarks(consumer.QueryWatermarkOffsets(TopicPartition, WatermarkTimeout));
        }
        catch (KafkaException exception)
        {
            // The last known end offset stays; the stall decision below does not depend on it alone.
            LogWatermarksUnknown(_options.Topic, Partition, exception.Error.Reason);
        }

        var status = Status();
        var recordsWait = status.Waiting != KafkaBacklogStage.None;
        switch (_stall.Observe(now, recordsWait, status.LastDeliveryAt, out var stalledFor))
        {
            case StallWatch.Change.Stalled:
                LogStalled(_options.Topic, Partition, status.Lag, _options.StallAfter, status.DescribeWaiting());
                break;
            case StallWatch.Change.Flowing:
                LogFlowing(_options.Topic, Partition, stalledFor);
                break;
        }
    }

    private void StoreWatermarks(WatermarkOffsets watermarks)
    {
        if (watermarks.Low.Value >= 0)
        {
            Interlocked.Exchange(ref _startOffset, watermarks.Low.Value);
        }

        if (watermarks.High.Value >= 0)
        {
            Interlocked.Exchange(ref _endOffset, watermarks.High.Value);
        }
    }

    /// <summary>The later of the last delivery this receiver saw acknowledged and the last successful delivery a consumer reported.</summary>
    private DateTimeOffset? LastDeliveryAt()
    {
        var ticks = Interlocked.Read(ref _lastDeliveryTicks);
        DateTimeOffset? acknowledged = ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        var reported = _deliveryFailures.LastSucceeded(Source);
        return (acknowledged, reported) switch
        {
            ({ } a, { } r) => a > r ? a : r,
            _ => acknowledged ?? reported,
        };
    }

    /// <summary>
    /// Makes the group's committed offset, where this receiver starts, known to consumers before this receiver's first
    /// commit (everything below it is durable wherever it was applied, whichever silo committed it).
    /// </summary>
    private void PublishGroupCommit(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            var committed = consumer.Committed([TopicPartition], _options.MetadataTimeout).Single().Offset;
            if (committed.Value >= 0)
            {
                Interlocked.Exchange(ref _groupCommitted, committed.Value);
            }

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

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>The record as consumed: raw fields only, so it cannot throw on untrusted input.</summary>
    internal static KafkaRecord ToRecord(ConsumeResult<byte[]?, byte[]?> result)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Receiving Kafka topic {Topic} partition {Partition} as consumer group {ConsumerGroup}, from its committed offset (from the beginning when it has none).")]
    private partial void LogStarted(string topic, int partition, string consumerGroup);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Consumer group {ConsumerGroup} has no committed offset for Kafka topic {Topic} partition {Partition}: reading it from the beginning.")]
    private partial void LogNoCommittedOffset(string topic, int partition, string consumerGroup);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped receiving Kafka topic {Topic} partition {Partition}; committed through offset {CommittedThrough}, {Pending} records handed out but not yet delivered will be replayed by the next owner.")]
    private partial void LogStopped(string topic, int partition, long committedThrough, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rewinding Kafka topic {Topic} partition {Partition} to its committed offset (this receiver committed through {CommittedThrough}; -1: none yet): effects of uncommitted records were lost with a grain activation before being persisted. Everything after the commit is read and delivered again, and consumers apply only what they lack; dropped: delivered through {DeliveredThrough}, {Pending} in flight.")]
    private partial void LogRewinding(string topic, int partition, long committedThrough, long deliveredThrough, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka topic {Topic} partition {Partition}: offsets {FromOffset}..{ToOffset} ({Count} records) were deleted before consumer group {ConsumerGroup} read them (by retention, or by the embedded broker, which keeps at most 5 MiB and 100,000 records per partition). They are dead-lettered as one records-expired notice and reading continues at offset {NextOffset}. To lose nothing, consume faster than records are deleted: produce more slowly, add partitions or silos, or raise the topic's retention.")]
    private partial void LogRecordsExpired(string topic, int partition, long fromOffset, long toOffset, long count, string consumerGroup, long nextOffset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka topic {Topic} partition {Partition}: the next offset {Offset} is past the partition's end {EndOffset} (its log was truncated, or the topic was deleted and created again); continuing at {EndOffset}.")]
    private partial void LogOffsetBeyondEnd(string topic, int partition, long offset, long endOffset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka topic {Topic} partition {Partition} is stalled: {Lag} records behind and nothing delivered for {StallAfter}; {Waiting}.")]
    private partial void LogStalled(string topic, int partition, long lag, TimeSpan stallAfter, string waiting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka topic {Topic} partition {Partition} flows again after being stalled for {StalledFor}.")]
    private partial void LogFlowing(string topic, int partition, TimeSpan stalledFor);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the committed offset of Kafka topic {Topic} partition {Partition} at start ({Reason}); consumers learn it at this receiver's first commit.")]
    private partial void LogGroupCommitUnknown(string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the watermarks of Kafka topic {Topic} partition {Partition} ({Reason}); its status keeps the last known end offset.")]
    private partial void LogWatermarksUnknown(string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The poll thread of Kafka topic {Topic} partition {Partition} did not stop within {Timeout}; its consumer is closed when it does.")]
    private partial void LogPollThreadSlowToStop(string topic, int partition, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka error on topic {Topic} partition {Partition}: {Reason}")]
    private partial void LogKafkaError(string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka [{Level}]: {Message}")]
    private partial void LogKafkaClientMessage(string level, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading Kafka topic {Topic} partition {Partition} failed ({Error}); retrying in {Delay}, without losing the record. Further failures in a row are logged at debug level; the partition's status shows the error until reading recovers.")]
    private partial void LogReadFailed(Exception exception, string topic, int partition, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading Kafka topic {Topic} partition {Partition} failed again ({Failures} in a row): {Error}")]
    private partial void LogReadFailedAgain(string topic, int partition, int failures, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading Kafka topic {Topic} partition {Partition} recovered after {Failures} failed attempts.")]
    private partial void LogReadRecovered(string topic, int partition, int failures);
}
