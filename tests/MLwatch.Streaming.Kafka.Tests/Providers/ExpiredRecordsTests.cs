using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka.Tests.Support;
using static MLwatch.Streaming.Kafka.Tests.Support.ReceiverHarness;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

/// <summary>
/// Records deleted before they were read (retention on a real Kafka, the size limit of the embedded broker, here
/// <see cref="EmbeddedKafkaBroker.DeleteRecords"/>) are reported as one <see cref="KafkaRecord.Expired"/> notice with the
/// exact range, which is delivered and committed like a record; reading then continues at the partition's start.
/// </summary>
[Collection(EmbeddedKafkaCollection.Name)]
public sealed class ExpiredRecordsTests(EmbeddedKafkaFixture kafka) : IAsyncLifetime
{
    private const string ExpiredWarning = "were deleted before consumer group";

    // Named here: Confluent.Kafka has a type Partition too.
    private const int Partition = ReceiverHarness.Partition;

    private readonly ReceiverHarness _harness = new(kafka);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_new_consumer_group_starts_at_the_partition_start_without_a_notice()
    {
        await _harness.ProduceAsync(10);
        kafka.Broker.DeleteRecords(_harness.Topic, Partition, 6);

        var receiver = await _harness.StartAsync();
        var records = Records(await DrainAsync(receiver, 4));

        Assert.Equal([6L, 7L, 8L, 9L], records.Select(r => r.Offset));
        Assert.DoesNotContain(records, r => r.IsExpiredRange);
        Assert.Equal(0, receiver.Status().ExpiredRecords);
        Assert.DoesNotContain(_harness.ReceiverLog.Entries, e => e.Message.Contains(ExpiredWarning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restarted_receiver_whose_committed_offset_was_deleted_reports_the_range_then_reads_on()
    {
        await _harness.ProduceAsync(10);
        var first = await _harness.StartAsync();
        var read = await DrainAsync(first, 10);
        await first.MessagesDeliveredAsync([.. read.Take(2)], CancellationToken.None);
        await Wait.UntilAsync(() => first.CommittedThrough == 1, () => $"committed through {first.CommittedThrough}");
        await _harness.ShutdownAsync(first);
        kafka.Broker.DeleteRecords(_harness.Topic, Partition, 6);

        var next = await _harness.StartAsync();
        var containers = await DrainAsync(next, 5);

        var records = Records(containers);
        var notice = records[0];
        Assert.True(notice.IsExpiredRange);
        Assert.Equal((2L, 5L, 4L), (notice.ExpiredFromOffset!.Value, notice.Offset, notice.RecordCount));
        Assert.Equal((_harness.Topic, Partition), (notice.Topic, notice.Partition));
        Assert.Equal([6L, 7L, 8L, 9L], records.Skip(1).Select(r => r.Offset));
        Assert.DoesNotContain(records.Skip(1), r => r.IsExpiredRange);
        Assert.Equal(4, next.Status().ExpiredRecords);
        var warning = Assert.Single(_harness.ReceiverLog.Entries, e => e.Message.Contains(ExpiredWarning, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"{_harness.Topic} partition {Partition}: offsets 2..5 (4 records)", warning.Message, StringComparison.Ordinal);

        // The notice is tracked like a record: nothing is committed past it before consumers had it.
        await next.MessagesDeliveredAsync([.. containers.Skip(1)], CancellationToken.None);
        await Task.Delay(200);
        Assert.Equal(2, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);
        await next.MessagesDeliveredAsync([containers[0]], CancellationToken.None);
        await Wait.UntilAsync(() => next.CommittedThrough == 9, () => $"committed through {next.CommittedThrough}");
        Assert.Equal(10, kafka.Committed(_harness.Topic, Partition, _harness.Group).Value);
    }

    [Fact]
    public async Task A_rewind_to_a_committed_offset_that_was_deleted_reports_the_range()
    {
        await _harness.ProduceAsync(10);
        var receiver = await _harness.StartAsync();
        var first = await DrainAsync(receiver, 10);
        await receiver.MessagesDeliveredAsync([.. first.Take(4)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.CommittedThrough == 3, () => $"committed through {receiver.CommittedThrough}");
        kafka.Broker.DeleteRecords(_harness.Topic, Partition, 7);

        _harness.Barrier.RewindNext();
        await receiver.MessagesDeliveredAsync([.. first.Skip(4)], CancellationToken.None);
        await Wait.UntilAsync(() => receiver.Generation == 1, () => $"generation {receiver.Generation}");
        var replayed = Records(await DrainAsync(receiver, 4));

        Assert.True(replayed[0].IsExpiredRange);
        Assert.Equal((4L, 6L), (replayed[0].ExpiredFromOffset!.Value, replayed[0].Offset));
        Assert.Equal([7L, 8L, 9L], replayed.Skip(1).Select(r => r.Offset));
        Assert.Equal(3, receiver.Status().ExpiredRecords);
    }

    [Fact]
    public async Task Records_deleted_while_the_receiver_is_behind_are_reported_once_with_exactly_the_range_it_missed()
    {
        // 400 kB records and small bounds keep the receiver (1 buffered, 1 waiting, librdkafka ≤ 1 MiB ahead) far behind offset 9.
        const int count = 12;
        await kafka.ProduceAsync(_harness.Topic, Partition, [.. Enumerable.Range(0, count).Select(i => new Message<byte[]?, byte[]?> { Value = Filled(400_000, i) })]);
        var receiver = await _harness.StartAsync(o =>
        {
            o.ReceiveBufferSize = 1;
            o.PrefetchBytes = 1024 * 1024;
        });
        await Wait.UntilAsync(() => receiver.Status().BufferedRecords == 1, () => "nothing fetched yet");

        kafka.Broker.DeleteRecords(_harness.Topic, Partition, 9);
        var records = Records(await DrainUntilAsync(receiver, r => r.Count > 0 && r[^1].Offset == count - 1));

        var notice = Assert.Single(records, r => r.IsExpiredRange);
        var before = records.TakeWhile(r => !r.IsExpiredRange).ToList();
        Assert.NotEmpty(before);
        Assert.Equal(Enumerable.Range(0, before.Count).Select(i => (long)i), before.Select(r => r.Offset));
        Assert.Equal(before.Count, notice.ExpiredFromOffset);
        Assert.Equal(8, notice.Offset);
        Assert.Equal([9L, 10L, 11L], records.SkipWhile(r => !r.IsExpiredRange).Skip(1).Select(r => r.Offset));
        Assert.All(records.Where(r => !r.IsExpiredRange), r => Assert.Equal((byte)r.Offset, r.Value[^1]));
        Assert.Equal(notice.RecordCount, receiver.Status().ExpiredRecords);
        Assert.Single(_harness.ReceiverLog.Entries, e => e.Message.Contains(ExpiredWarning, StringComparison.Ordinal));
    }

    private static byte[] Filled(int length, int marker)
    {
        var value = new byte[length];
        value[^1] = (byte)marker;
        return value;
    }
}
