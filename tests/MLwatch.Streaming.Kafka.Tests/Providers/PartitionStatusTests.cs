using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka.Providers;
using MLwatch.Streaming.Kafka.Tests.Support;
using static MLwatch.Streaming.Kafka.Tests.Support.ReceiverHarness;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

/// <summary>Each receiver knows where its partition is and where its records wait; one that stops delivering is stalled, said once.</summary>
[Collection(EmbeddedKafkaCollection.Name)]
public sealed class PartitionStatusTests(EmbeddedKafkaFixture kafka) : IAsyncLifetime
{
    private const string StalledWarning = "is stalled";

    // Named here: Confluent.Kafka has a type Partition too.
    private const int Partition = ReceiverHarness.Partition;

    private readonly ReceiverHarness _harness = new(kafka);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Status_follows_a_record_from_Kafka_through_the_buffer_and_the_pulling_agent_to_the_commit()
    {
        await _harness.ProduceAsync(5);
        var receiver = await _harness.StartAsync();

        var buffered = await StatusAsync(receiver, s => s.BufferedRecords == 5 && s.EndOffset == 5);
        Assert.Equal((_harness.Topic, Partition, $"{_harness.Topic}/{Partition}"), (buffered.Topic, buffered.Partition, buffered.Name));
        Assert.Equal((0L, 5L, -1L, -1L, -1L, 5L), (buffered.StartOffset, buffered.EndOffset, buffered.CommittedOffset, buffered.DeliveredThrough, buffered.HandedOutThrough, buffered.Lag));
        Assert.Equal(KafkaBacklogStage.ReceiveBuffer, buffered.Waiting);
        Assert.True(buffered.BufferedBytes > 5);
        Assert.Null(buffered.LastDeliveryAt);

        var containers = await DrainAsync(receiver, 5);
        var handedOut = receiver.Status();
        Assert.Equal((0, 5, 4L, KafkaBacklogStage.HandedOut), (handedOut.BufferedRecords, handedOut.InFlightRecords, handedOut.HandedOutThrough, handedOut.Waiting));
        Assert.Equal(buffered.BufferedBytes, handedOut.InFlightBytes);

        await receiver.MessagesDeliveredAsync(containers, CancellationToken.None);
        var committed = await StatusAsync(receiver, s => s.CommittedOffset == 5);
        Assert.Equal((4L, 0L, 0, 0L, KafkaBacklogStage.None), (committed.DeliveredThrough, committed.Lag, committed.InFlightRecords, committed.InFlightBytes, committed.Waiting));
        Assert.NotNull(committed.LastDeliveryAt);
        Assert.False(committed.Stalled);
        Assert.Null(committed.ReadError);
    }

    [Fact]
    public async Task A_partition_whose_records_are_not_delivered_is_stalled_with_one_warning_and_flows_again_with_one_line()
    {
        await _harness.ProduceAsync(3);
        var receiver = await _harness.StartAsync(o => o.StallAfter = TimeSpan.FromMilliseconds(300));
        var containers = await DrainAsync(receiver, 3);

        var stalled = await StatusAsync(receiver, s => s.Stalled);
        Assert.Equal(KafkaBacklogStage.HandedOut, stalled.Waiting);
        Assert.NotNull(stalled.StalledSince);
        // Several status refreshes (one a second) later, still one warning.
        await StatusAsync(receiver, s => s.Stalled && DateTimeOffset.UtcNow - s.StalledSince > TimeSpan.FromSeconds(3));
        var warning = Assert.Single(_harness.ReceiverLog.Entries, e => e.Message.Contains(StalledWarning, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"{_harness.Topic} partition {Partition} is stalled: 3 records behind", warning.Message, StringComparison.Ordinal);
        Assert.Contains("3 records (", warning.Message, StringComparison.Ordinal);
        Assert.Contains("handed to the pulling agent but not delivered", warning.Message, StringComparison.Ordinal);

        await receiver.MessagesDeliveredAsync(containers, CancellationToken.None);
        var flowing = await StatusAsync(receiver, s => !s.Stalled);
        Assert.Null(flowing.StalledSince);
        await Wait.UntilAsync(
            () => _harness.ReceiverLog.Entries.Any(e => e.Message.Contains("flows again", StringComparison.Ordinal)),
            () => "no line saying the partition flows again");
        Assert.Single(_harness.ReceiverLog.Entries, e => e.Message.Contains(StalledWarning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Records_nobody_takes_from_the_buffer_stall_the_partition_there()
    {
        await _harness.ProduceAsync(2);
        var receiver = await _harness.StartAsync(o => o.StallAfter = TimeSpan.FromMilliseconds(300));

        var stalled = await StatusAsync(receiver, s => s.Stalled);

        Assert.Equal(KafkaBacklogStage.ReceiveBuffer, stalled.Waiting);
        Assert.Contains("in the receive buffer, not taken by the pulling agent", stalled.DescribeWaiting(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failing_deliveries_reported_by_consumers_say_how_often_and_why_in_the_status_and_the_warning()
    {
        await _harness.ProduceAsync(2);
        var receiver = await _harness.StartAsync(o => o.StallAfter = TimeSpan.FromMilliseconds(300));
        await DrainAsync(receiver, 2);
        _harness.DeliveryFailures.Failed(_harness.Source, new InvalidOperationException("model crashed"));
        _harness.DeliveryFailures.Failed(_harness.Source, new InvalidOperationException("model crashed again"));

        var stalled = await StatusAsync(receiver, s => s.Stalled);

        Assert.Equal(KafkaBacklogStage.DeliveryFailing, stalled.Waiting);
        Assert.Equal((2, "InvalidOperationException: model crashed again"), (stalled.DeliveryFailures!.Attempts, stalled.DeliveryFailures.LastError));
        var warning = Assert.Single(_harness.ReceiverLog.Entries, e => e.Message.Contains(StalledWarning, StringComparison.Ordinal));
        Assert.Contains("failed 2 times in a row (last: InvalidOperationException: model crashed again)", warning.Message, StringComparison.Ordinal);

        _harness.DeliveryFailures.Succeeded(_harness.Source);
        var recovered = receiver.Status();
        Assert.Null(recovered.DeliveryFailures);
        Assert.NotNull(recovered.LastDeliveryAt);
    }

    [Fact]
    public async Task The_silo_lists_the_status_of_each_partition_it_receives()
    {
        await _harness.ProduceAsync(1);
        var receiver = await _harness.StartAsync();
        await StatusAsync(receiver, s => s.EndOffset == 1);

        var status = Assert.Single(_harness.Ownership.Statuses());

        Assert.Equal($"{_harness.Topic}/{Partition}", status.Name);
        Assert.Equal(1, status.EndOffset);
        Assert.Equal([status.Name], _harness.Ownership.Snapshot());
        await _harness.ShutdownAsync(receiver);
        Assert.Empty(_harness.Ownership.Statuses());
    }

    private static async Task<KafkaPartitionStatus> StatusAsync(KafkaQueueAdapterReceiver receiver, Func<KafkaPartitionStatus, bool> condition)
    {
        var status = receiver.Status();
        await Wait.UntilAsync(() => condition(status = receiver.Status()), () => $"status {status}");
        return status;
    }
}
