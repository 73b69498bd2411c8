using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka.Tests.Support;
using static MLwatch.Streaming.Kafka.Tests.Support.ReceiverHarness;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

[Collection(EmbeddedKafkaCollection.Name)]
public sealed class KafkaQueueAdapterReceiverTests(EmbeddedKafkaFixture kafka) : IAsyncLifetime
{
    // Named here: Confluent.Kafka has a type Partition too.
    private const int Partition = ReceiverHarness.Partition;

    private readonly ReceiverHarness _harness = new(kafka);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Records_of_its_partition_arrive_in_offset_order_with_key_value_headers_and_timestamp()
    {
        var sentAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);
        await kafka.ProduceAsync(_harness.Topic, Partition + 1, Message(99, "other-partition"));
        await kafka.ProduceAsync(
            _harness.Topic,
            Partition,
            Message(0, "req-0", ("mlwatch-model", "tiny"), ("mlwatch-label", "c1"), ("mlwatch-label", "c2")),
            Message(1, key: null),
            Message(2, "req-2"),
            new Message<byte[]?, byte[]?> { Key = "req-3"u8.ToArray(), Value = [3], Timestamp = new Timestamp(sentAt) });
        var receiver = await _harness.StartAsync();

        var containers = await DrainAsync(receiver, 4);

        var records = Records(containers);
        Assert.Equal([0L, 1L, 2L, 3L], records.Select(r => r.Offset));
        Assert.All(records, r => Assert.Equal((_harness.Topic, Partition), (r.Topic, r.Partition)));
        Assert.Equal(["req-0", null, "req-2", "req-3"], records.Select(r => r.KeyText));
        Assert.Equal($"{_harness.Topic}/{Partition}/1", records[1].RequestId);
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
        Assert.Empty(_harness.Ownership.Snapshot());
        var receiver = await _harness.StartAsync();

        Assert.Equal([$"{_harness.Topic}/{Partition}"], _harness.Ownership.Snapshot());

        await _harness.ShutdownAsync(receiver);
        Assert.Empty(_harness.Ownership.Snapshot());
    }

    [Fact]
    public async Task Get_messages_hands_out_at_most_max_count()
    {
        await _harness.ProduceAsync(5);
        var receiver = await _harness.StartAsync();

        var containers = await DrainAsync(receiver, 5, maxCount: 2);

        Assert.Equal([0L, 1L, 2L, 3L, 4L], Records(containers).Select(r => r.Offset));
    }

    [Fact]
    public async Task A_backlog_larger_than_the_receive_buffer_arrives_complete_and_in_order()
    {
        await _harness.ProduceAsync(25);
        var receiver = await _harness.StartAsync(o => o.ReceiveBufferSize = 3);

        var containers = await DrainAsync(receiver, 25);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), Records(containers).Select(r => r.Offset));
    }

    [Fact]
    public async Task Delivered_records_are_committed_after_the_barrier_flushed_and_a_new_receiver_resumes_after_them()
    {
        await _harness.ProduceAsync(8);
        var receiver = await _harness.StartAsync();
        var containers = await DrainAsync(receiver, 8);

        await receiver.MessagesDeliveredAsync(containers, CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 7, () => $"committed through {receiver.CommittedThrough}");

        Assert.True(_harness.Barrier.Flushes >= 1);
        Assert.Equal(8, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);
        await _harness.ShutdownAsync(receiver);

        await _harness.ProduceAsync(2, firstValue: 8);
        var otherSilo = new PartitionCommits();
        var next = await _harness.StartAsync(commits: otherSilo);
        var resumed = Records(await DrainAsync(next, 2));
        Assert.Equal([8L, 9L], resumed.Select(r => r.Offset));
        // A receiver that starts from a commit makes it known before committing anything itself.
        await Wait.UntilAsync(() => otherSilo.CommittedBefore(next.Source) == 8, () => $"committed before {otherSilo.CommittedBefore(next.Source)}");
    }

    [Fact]
    public async Task The_offset_is_committed_only_once_the_barrier_flush_completed()
    {
        await _harness.ProduceAsync(3);
        _harness.Barrier.Hold();
        var receiver = await _harness.StartAsync();
        var containers = await DrainAsync(receiver, 3);

        await receiver.MessagesDeliveredAsync(containers, CancellationToken.None);
        await Wait.UntilAsync(() => _harness.Barrier.Flushes >= 1, () => "no flush started");

        Assert.Equal(2, receiver.DeliveredThrough);
        Assert.Equal(-1, receiver.CommittedThrough);
        Assert.Equal(Offset.Unset, kafka.Committed(_harness.Topic, Partition, _harness.Group));

        _harness.Barrier.Release();
        await Wait.UntilAsync(() => receiver.CommittedThrough == 2, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(3, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);
    }

    [Fact]
    public async Task A_record_not_yet_delivered_holds_the_commit_back()
    {
        await _harness.ProduceAsync(6);
        var receiver = await _harness.StartAsync();
        var containers = await DrainAsync(receiver, 6);

        await receiver.MessagesDeliveredAsync([.. containers.Where((_, i) => i != 3)], CancellationToken.None);
        Assert.Equal(2, receiver.DeliveredThrough);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 2, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(3, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);

        await receiver.MessagesDeliveredAsync([containers[3]], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 5, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(6, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);
    }

    [Fact]
    public async Task A_failing_barrier_commits_nothing_and_a_new_receiver_replays_from_the_last_commit()
    {
        await _harness.ProduceAsync(6);
        var receiver = await _harness.StartAsync();
        var containers = await DrainAsync(receiver, 6);
        await receiver.MessagesDeliveredAsync([.. containers.Take(3)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 2, () => $"committed through {receiver.CommittedThrough}");

        _harness.Barrier.Fail = true;
        await receiver.MessagesDeliveredAsync([.. containers.Skip(3)], CancellationToken.None);
        await Wait.UntilAsync(() => _harness.Barrier.Failures >= 2, () => $"{_harness.Barrier.Failures} failed flushes");

        Assert.Equal(5, receiver.DeliveredThrough);
        Assert.Equal(2, receiver.CommittedThrough);
        Assert.Contains(_harness.CheckpointLog.Entries, e => e.Level == LogLevel.Warning && e.Exception is InvalidOperationException);
        await _harness.ShutdownAsync(receiver);
        Assert.Equal(3, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);

        _harness.Barrier.Fail = false;
        var next = await _harness.StartAsync();
        var replayed = Records(await DrainAsync(next, 3));
        Assert.Equal([3L, 4L, 5L], replayed.Select(r => r.Offset));
    }

    [Fact]
    public async Task A_rewind_redelivers_from_the_committed_offset_and_commits_only_after_the_replayed_records_were_delivered()
    {
        await _harness.ProduceAsync(10);
        var receiver = await _harness.StartAsync();
        var first = await DrainAsync(receiver, 10);
        await receiver.MessagesDeliveredAsync([.. first.Take(4)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 3, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(4, _harness.Commits.CommittedBefore(receiver.Source));

        // Records 4..9 went into an activation that was lost: the barrier answers Rewind instead of letting them commit.
        _harness.Barrier.RewindNext();
        await receiver.MessagesDeliveredAsync([.. first.Skip(4)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.Generation == 1, () => $"generation {receiver.Generation}, {_harness.Barrier.RewindsAnswered} rewinds answered");

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
        Assert.Equal(4, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);

        await receiver.MessagesDeliveredAsync([.. replayed.Take(3)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 6, () => $"committed through {receiver.CommittedThrough}");
        await receiver.MessagesDeliveredAsync([.. replayed.Skip(3)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 9, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(10, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);
        Assert.Equal(10, _harness.Commits.CommittedBefore(receiver.Source));
        Assert.Equal(1, _harness.Barrier.RewindsAnswered);
    }

    [Fact]
    public async Task A_rewind_before_any_commit_drops_buffered_records_and_starts_over_from_the_beginning()
    {
        await _harness.ProduceAsync(10);
        var receiver = await _harness.StartAsync(o => o.ReceiveBufferSize = 4);
        var first = await DrainAsync(receiver, 3, maxCount: 3);
        Assert.Equal(Offset.Unset, kafka.Committed(_harness.Topic, Partition, _harness.Group));

        _harness.Barrier.RewindNext();
        await receiver.MessagesDeliveredAsync(first, CancellationToken.None);
        await Wait.UntilAsync(() => receiver.Generation == 1, () => $"generation {receiver.Generation}");

        var all = await DrainAsync(receiver, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Records(all).Select(r => r.Offset));
        await receiver.MessagesDeliveredAsync(all, CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 9, () => $"committed through {receiver.CommittedThrough}");
        Assert.Equal(10, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);
    }

    [Fact]
    public async Task Shutdown_told_to_rewind_commits_nothing_and_the_next_owner_replays_from_the_last_commit()
    {
        await _harness.ProduceAsync(4);
        var receiver = await _harness.StartAsync(o => o.CheckpointInterval = TimeSpan.FromHours(1));
        await receiver.MessagesDeliveredAsync(await DrainAsync(receiver, 4), CancellationToken.None);
        _harness.Barrier.RewindNext();

        await _harness.ShutdownAsync(receiver);

        Assert.Equal(Offset.Unset, kafka.Committed(_harness.Topic, Partition, _harness.Group));
        var next = await _harness.StartAsync();
        Assert.Equal([0L, 1L, 2L, 3L], Records(await DrainAsync(next, 4)).Select(r => r.Offset));
    }

    [Fact]
    public async Task Shutdown_flushes_and_commits_what_was_delivered()
    {
        await _harness.ProduceAsync(6);
        // No timer checkpoint within the test: only shutdown commits.
        var receiver = await _harness.StartAsync(o => o.CheckpointInterval = TimeSpan.FromHours(1));
        var containers = await DrainAsync(receiver, 6);
        await receiver.MessagesDeliveredAsync([.. containers.Take(4)], CancellationToken.None);
        Assert.Equal(Offset.Unset, kafka.Committed(_harness.Topic, Partition, _harness.Group));

        await _harness.ShutdownAsync(receiver);

        Assert.Equal(1, _harness.Barrier.Flushes);
        Assert.Equal(3, receiver.CommittedThrough);
        Assert.Equal(4, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);
        var next = await _harness.StartAsync();
        Assert.Equal([4L, 5L], Records(await DrainAsync(next, 2)).Select(r => r.Offset));
    }

    [Fact]
    public async Task Shutdown_with_nothing_delivered_commits_nothing()
    {
        await _harness.ProduceAsync(2);
        var receiver = await _harness.StartAsync();
        await DrainAsync(receiver, 2);

        await _harness.ShutdownAsync(receiver);

        Assert.Equal(0, _harness.Barrier.Flushes);
        Assert.Equal(Offset.Unset, kafka.Committed(_harness.Topic, Partition, _harness.Group));
    }

    [Fact]
    public async Task Shutdown_that_runs_out_of_time_commits_nothing_but_still_releases_the_consumer()
    {
        await _harness.ProduceAsync(2);
        var receiver = await _harness.StartAsync(o => o.CheckpointInterval = TimeSpan.FromHours(1));
        await receiver.MessagesDeliveredAsync(await DrainAsync(receiver, 2), CancellationToken.None);
        _harness.Barrier.Hold();

        _harness.Forget(receiver);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receiver.Shutdown(TimeSpan.FromMilliseconds(200)));

        Assert.Equal(1, _harness.Barrier.Flushes);
        Assert.Equal(-1, receiver.CommittedThrough);
        Assert.Throws<InvalidOperationException>(() => receiver.Commit(1));
        Assert.Equal(Offset.Unset, kafka.Committed(_harness.Topic, Partition, _harness.Group));
    }
}
