using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka.Providers;
using MLwatch.Streaming.Kafka.Tests.Support;
using Orleans.Streams;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

[Collection(EmbeddedKafkaCollection.Name)]
public sealed class KafkaQueueAdapterReceiverTests(EmbeddedKafkaFixture kafka) : IAsyncLifetime
{
    private const int Partition = 2;
    private const string StreamNamespace = "test.requests";

    private readonly string _topic = kafka.CreateTopic();
    private readonly string _group = $"group-{Guid.NewGuid():N}";
    private readonly RecordingCommitBarrier _barrier = new();
    private readonly RecordingLogger<KafkaCheckpointer> _checkpointLog = new();
    private readonly PartitionCommits _commits = new();
    private readonly List<KafkaQueueAdapterReceiver> _receivers = [];
    private readonly KafkaPartitionOwnership _ownership = new();
    private readonly DeliveryFailures _deliveryFailures = new(TimeProvider.System);
    private readonly RecordingLogger<KafkaQueueAdapterReceiver> _receiverLog = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _barrier.Release();
        foreach (var receiver in _receivers)
        {
            await receiver.Shutdown(Wait.Timeout);
        }
    }

    [Fact]
    public async Task Records_of_its_partition_arrive_in_offset_order_with_key_value_headers_and_timestamp()
    {
        var sentAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);
        await kafka.ProduceAsync(_topic, Partition + 1, Message(99, "other-partition"));
        await kafka.ProduceAsync(
            _topic,
            Partition,
            Message(0, "req-0", ("mlwatch-model", "tiny"), ("mlwatch-label", "c1"), ("mlwatch-label", "c2")),
            Message(1, key: null),
            Message(2, "req-2"),
            new Message<byte[]?, byte[]?> { Key = "req-3"u8.ToArray(), Value = [3], Timestamp = new Timestamp(sentAt) });
        var receiver = await StartAsync();

        var containers = await DrainAsync(receiver, 4);

        var records = Records(containers);
        Assert.Equal([0L, 1L, 2L, 3L], records.Select(r => r.Offset));
        Assert.All(records, r => Assert.Equal((_topic, Partition), (r.Topic, r.Partition)));
        Assert.Equal(["req-0", null, "req-2", "req-3"], records.Select(r => r.KeyText));
        Assert.Equal($"{_topic}/{Partition}/1", records[1].RequestId);
        Assert.Equal([0, 1, 2, 3], records.Select(r => (int)r.Value.Single()));
        Assert.Equal(
            [("mlwatch-model", "tiny"), ("mlwatch-label", "c1"), ("mlwatch-label", "c2")],
            records[0].Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.Value))));
        Assert.Equal("c2", records[0].GetHeader("mlwatch-label"));
        Assert.Empty(records[1].Headers);
        Assert.Equal(sentAt, records[3].Timestamp);
        Assert.All(containers, c => Assert.Equal(KafkaStreamIds.ForPartition(StreamNamespace, Partition), c.StreamId));
        Assert.Equal([0L, 1L, 2L, 3L], containers.Select(c => c.SequenceToken.SequenceNumber));
        Assert.Equal([0L, 1L, 2L, 3L], containers.Select(c => c.GetEvents<KafkaRecord>().Single().Item1.Offset));
    }

    [Fact]
    public async Task It_reports_its_partition_owned_from_initialize_until_shutdown()
    {
        Assert.Empty(_ownership.Snapshot());
        var receiver = await StartAsync();

        Assert.Equal([$"{_topic}/{Partition}"], _ownership.Snapshot());

        await ShutdownAsync(receiver);
        Assert.Empty(_ownership.Snapshot());
    }

    [Fact]
    public async Task Get_messages_hands_out_at_most_max_count()
    {
        await ProduceAsync(5);
        var receiver = await StartAsync();

        var containers = await DrainAsync(receiver, 5, maxCount: 2);

        Assert.Equal([0L, 1L, 2L, 3L, 4L], Records(containers).Select(r => r.Offset));
    }

    [Fact]
    public async Task A_backlog_larger_than_the_receive_buffer_arrives_complete_and_in_order()
    {
        await ProduceAsync(25);
        var receiver = await StartAsync(o => o.ReceiveBufferSize = 3);

        var containers = await DrainAsync(receiver, 25);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), Records(containers).Select(r => r.Offset));
    }

    [Fact]
    public async Task Delivered_records_are_committed_after_the_barrier_flushed_and_a_new_receiver_resumes_after_them()
    {
        await ProduceAsync(8);
        var receiver = await StartAsync();
        var containers = await DrainAsync(receiver, 8);

        await receiver.MessagesDeliveredAsync(containers, CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 7, () => $"committed through {receiver.CommittedThrough}");

        Assert.True(_barrier.Flushes >= 1);
        Assert.Equal(8, kafka.Committed(_topic, Partition, _group).Value);
        await ShutdownAsync(receiver);

        await ProduceAsync(2, firstValue: 8);
        var otherSilo = new PartitionCommits();
        var next = await StartAsync(commits: otherSilo);
        var resumed = Records(await DrainAsync(next, 2));
        Assert.Equal([8L, 9L], resumed.Select(r => r.Offset));
        // A receiver that starts from a commit makes it known before committing anything itself.
        await Wait.UntilAsync(() => otherSilo.CommittedBefore(next.Source) == 8, () => $"committed before {otherSilo.CommittedBefore(next.Source)}");
    }

    [Fact]
    public async Task The_offset_is_committed_only_once_the_barrier_flush_completed()
    {
        await ProduceAsync(3);
        _barrier.Hold();
        var receiver = await StartAsync();
        var containers = await DrainAsync(receiver, 3);

        await receiver.MessagesDeliveredAsync(containers, CancellationToken.None);
        await Wait.UntilAsync(() => _barrier.Flushes >= 1, () => "no flush started");

        Assert.Equal(2, receiver.DeliveredThrough);
        Assert.Equal(-1, receiver.CommittedThrough);
        Assert.Equal(Offset.Unset, kafka.Committed(_topic, Partition, _group));

        _barrier.Release();
        await Wait.UntilAsync(() => receiver.CommittedThrough == 2, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(3, kafka.Committed(_topic, Partition, _group).Value);
    }

    [Fact]
    public async Task A_record_not_yet_delivered_holds_the_commit_back()
    {
        await ProduceAsync(6);
        var receiver = await StartAsync();
        var containers = await DrainAsync(receiver, 6);

        await receiver.MessagesDeliveredAsync([.. containers.Where((_, i) => i != 3)], CancellationToken.None);
        Assert.Equal(2, receiver.DeliveredThrough);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 2, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(3, kafka.Committed(_topic, Partition, _group).Value);

        await receiver.MessagesDeliveredAsync([containers[3]], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 5, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(6, kafka.Committed(_topic, Partition, _group).Value);
    }

    [Fact]
    public async Task A_failing_barrier_commits_nothing_and_a_new_receiver_replays_from_the_last_commit()
    {
        await ProduceAsync(6);
        var receiver = await StartAsync();
        var containers = await DrainAsync(receiver, 6);
        await receiver.MessagesDeliveredAsync([.. containers.Take(3)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 2, () => $"committed through {receiver.CommittedThrough}");

        _barrier.Fail = true;
        await receiver.MessagesDeliveredAsync([.. containers.Skip(3)], CancellationToken.None);
        await Wait.UntilAsync(() => _barrier.Failures >= 2, () => $"{_barrier.Failures} failed flushes");

        Assert.Equal(5, receiver.DeliveredThrough);
        Assert.Equal(2, receiver.CommittedThrough);
        Assert.Contains(_checkpointLog.Entries, e => e.Level == LogLevel.Warning && e.Exception is InvalidOperationException);
        await ShutdownAsync(receiver);
        Assert.Equal(3, kafka.Committed(_topic, Partition, _group).Value);

        _barrier.Fail = false;
        var next = await StartAsync();
        var replayed = Records(await DrainAsync(next, 3));
        Assert.Equal([3L, 4L, 5L], replayed.Select(r => r.Offset));
    }

    [Fact]
    public async Task A_rewind_redelivers_from_the_committed_offset_and_commits_only_after_the_replayed_records_were_delivered()
    {
        await ProduceAsync(10);
        var receiver = await StartAsync();
        var first = await DrainAsync(receiver, 10);
        await receiver.MessagesDeliveredAsync([.. first.Take(4)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 3, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(4, _commits.CommittedBefore(receiver.Source));

        // Records 4..9 went into an activation that was lost: the barrier answers Rewind instead of letting them commit.
        _barrier.RewindNext();
        await receiver.MessagesDeliveredAsync([.. first.Skip(4)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.Generation == 1, () => $"generation {receiver.Generation}, {_barrier.RewindsAnswered} rewinds answered");

        Assert.Equal(3, receiver.CommittedThrough);
        Assert.Equal(-1, receiver.DeliveredThrough);
        var replayed = await DrainAsync(receiver, 6);
        Assert.Equal([4L, 5L, 6L, 7L, 8L, 9L], Records(replayed).Select(r => r.Offset));
        // Orleans' cache and handshakes need sequence numbers that only grow: the records read again continue after 9.
        Assert.Equal([10L, 11L, 12L, 13L, 14L, 15L], replayed.Select(c => c.SequenceToken.SequenceNumber));

        // Deliveries of the first pass, reported late, do not count for the records read again.
        await receiver.MessagesDeliveredAsync([.. first.Skip(4)], CancellationToken.None);
        await Task.Delay(200);
        Assert.Equal(-1, receiver.DeliveredThrough);
        Assert.Equal(3, receiver.CommittedThrough);
        Assert.Equal(4, kafka.Committed(_topic, Partition, _group).Value);

        await receiver.MessagesDeliveredAsync([.. replayed.Take(3)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 6, () => $"committed through {receiver.CommittedThrough}");
        await receiver.MessagesDeliveredAsync([.. replayed.Skip(3)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 9, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(10, kafka.Committed(_topic, Partition, _group).Value);
        Assert.Equal(10, _commits.CommittedBefore(receiver.Source));
        Assert.Equal(1, _barrier.RewindsAnswered);
    }

    [Fact]
    public async Task A_rewind_before_any_commit_drops_buffered_records_and_starts_over_from_the_beginning()
    {
        await ProduceAsync(10);
        var receiver = await StartAsync(o => o.ReceiveBufferSize = 4);
        var first = await DrainAsync(receiver, 3, maxCount: 3);
        Assert.Equal(Offset.Unset, kafka.Committed(_topic, Partition, _group));

        _barrier.RewindNext();
        await receiver.MessagesDeliveredAsync(first, CancellationToken.None);
        await Wait.UntilAsync(() => receiver.Generation == 1, () => $"generation {receiver.Generation}");

        var all = await DrainAsync(receiver, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Records(all).Select(r => r.Offset));
        await receiver.MessagesDeliveredAsync(all, CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 9, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(10, kafka.Committed(_topic, Partition, _group).Value);
    }

    [Fact]
    public async Task Shutdown_told_to_rewind_commits_nothing_and_the_next_owner_replays_from_the_last_commit()
    {
        await ProduceAsync(4);
        var receiver = await StartAsync(o => o.CheckpointInterval = TimeSpan.FromHours(1));
        await receiver.MessagesDeliveredAsync(await DrainAsync(receiver, 4), CancellationToken.None);
        _barrier.RewindNext();

        await ShutdownAsync(receiver);

        Assert.Equal(Offset.Unset, kafka.Committed(_topic, Partition, _group));
        var next = await StartAsync();
        Assert.Equal([0L, 1L, 2L, 3L], Records(await DrainAsync(next, 4)).Select(r => r.Offset));
    }

    [Fact]
    public async Task Shutdown_flushes_and_commits_what_was_delivered()
    {
        await ProduceAsync(6);
        // No timer checkpoint within the test: only shutdown commits.
        var receiver = await StartAsync(o => o.CheckpointInterval = TimeSpan.FromHours(1));
        var containers = await DrainAsync(receiver, 6);
        await receiver.MessagesDeliveredAsync([.. containers.Take(4)], CancellationToken.None);
        Assert.Equal(Offset.Unset, kafka.Committed(_topic, Partition, _group));

        await ShutdownAsync(receiver);

        Assert.Equal(1, _barrier.Flushes);
        Assert.Equal(3, receiver.CommittedThrough);
        Assert.Equal(4, kafka.Committed(_topic, Partition, _group).Value);
        var next = await StartAsync();
        Assert.Equal([4L, 5L], Records(await DrainAsync(next, 2)).Select(r => r.Offset));
    }

    [Fact]
    public async Task Shutdown_with_nothing_delivered_commits_nothing()
    {
        await ProduceAsync(2);
        var receiver = await StartAsync();
        await DrainAsync(receiver, 2);

        await ShutdownAsync(receiver);

        Assert.Equal(0, _barrier.Flushes);
        Assert.Equal(Offset.Unset, kafka.Committed(_topic, Partition, _group));
    }

    [Fact]
    public async Task Shutdown_that_runs_out_of_time_commits_nothing_but_still_releases_the_consumer()
    {
        await ProduceAsync(2);
        var receiver = await StartAsync(o => o.CheckpointInterval = TimeSpan.FromHours(1));
        await receiver.MessagesDeliveredAsync(await DrainAsync(receiver, 2), CancellationToken.None);
        _barrier.Hold();

        _receivers.Remove(receiver);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receiver.Shutdown(TimeSpan.FromMilliseconds(200)));

        Assert.Equal(1, _barrier.Flushes);
        Assert.Equal(-1, receiver.CommittedThrough);
        Assert.Throws<InvalidOperationException>(() => receiver.Commit(1));
        Assert.Equal(Offset.Unset, kafka.Committed(_topic, Partition, _group));
    }

    private async Task<KafkaQueueAdapterReceiver> StartAsync(
        Action<KafkaStreamOptions>? configure = null,
        PartitionCommits? commits = null,
        Func<ConsumeResult<byte[]?, byte[]?>, KafkaRecord>? convert = null)
    {
        var options = new KafkaStreamOptions
        {
            BootstrapServers = kafka.BootstrapServers,
            Topic = _topic,
            StreamNamespace = StreamNamespace,
            ConsumerGroup = _group,
            CheckpointInterval = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        var receiver = new KafkaQueueAdapterReceiver(
            Partition,
            options,
            kafka.BootstrapServers,
            KafkaStreamIds.ForPartition(StreamNamespace, Partition),
            new KafkaCheckpointer("test-kafka", _barrier, _checkpointLog),
            _ownership,
            commits ?? _commits,
            _deliveryFailures,
            TimeProvider.System,
            _receiverLog)
        {
            ConvertRecord = convert ?? KafkaQueueAdapterReceiver.ToRecord,
        };
        _receivers.Add(receiver);
        await receiver.Initialize(Wait.Timeout);
        return receiver;
    }

    private async Task ShutdownAsync(KafkaQueueAdapterReceiver receiver)
    {
        _receivers.Remove(receiver);
        await receiver.Shutdown(Wait.Timeout);
    }

    private Task ProduceAsync(int count, int firstValue = 0) =>
        kafka.ProduceAsync(_topic, Partition, [.. Enumerable.Range(firstValue, count).Select(i => Message(i, $"req-{i}"))]);

    /// <summary>Pulls like the pulling agent until <paramref name="count"/> records were handed out.</summary>
    private static async Task<IList<IBatchContainer>> DrainAsync(KafkaQueueAdapterReceiver receiver, int count, int maxCount = QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG)
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

    private static List<KafkaRecord> Records(IEnumerable<IBatchContainer> containers) =>
        [.. containers.Select(c => ((KafkaBatchContainer)c).Record)];

    private static Message<byte[]?, byte[]?> Message(int value, string? key, params (string Key, string Value)[] headers)
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
}
