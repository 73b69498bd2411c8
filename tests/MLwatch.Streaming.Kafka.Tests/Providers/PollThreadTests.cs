using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka.Providers;
using MLwatch.Streaming.Kafka.Tests.Support;
using static MLwatch.Streaming.Kafka.Tests.Support.ReceiverHarness;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

/// <summary>The poll thread never dies on a record: a failure is logged once with its stack, retried, and nothing is lost.</summary>
[Collection(EmbeddedKafkaCollection.Name)]
public sealed class PollThreadTests(EmbeddedKafkaFixture kafka) : IAsyncLifetime
{
    // Named here: Confluent.Kafka has a type Partition too.
    private const int Partition = ReceiverHarness.Partition;

    private readonly ReceiverHarness _harness = new(kafka);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_record_whose_conversion_throws_is_retried_instead_of_lost_and_reading_carries_on()
    {
        var failuresLeft = 2;
        await _harness.ProduceAsync(5);
        var receiver = await _harness.StartAsync(convert: result =>
            result.Offset.Value == 2 && Interlocked.Decrement(ref failuresLeft) >= 0
                ? throw new InvalidOperationException("injected conversion failure")
                : KafkaQueueAdapterReceiver.ToRecord(result));

        var records = Records(await DrainAsync(receiver, 5));

        Assert.Equal([0L, 1L, 2L, 3L, 4L], records.Select(r => r.Offset));
        var failure = Assert.Single(_harness.ReceiverLog.Entries, e => e.Level == LogLevel.Warning);
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Contains("injected conversion failure", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_harness.ReceiverLog.Entries, e => e.Message.Contains("recovered after 2 failed attempts", StringComparison.Ordinal));
        Assert.Null(receiver.Status().ReadError);
    }

    [Fact]
    public async Task While_conversion_keeps_failing_the_status_shows_the_error_and_records_wait_in_Kafka()
    {
        await _harness.ProduceAsync(2);
        var receiver = await _harness.StartAsync(
            o => o.StallAfter = TimeSpan.FromMilliseconds(300),
            convert: _ => throw new FormatException("cannot read this one"));

        var status = receiver.Status();
        await Wait.UntilAsync(() => (status = receiver.Status()).Stalled, () => $"status {status}");

        Assert.Equal("FormatException: cannot read this one", status.ReadError);
        Assert.Equal(KafkaBacklogStage.NotFetched, status.Waiting);
        Assert.Contains("reading fails with FormatException: cannot read this one", status.DescribeWaiting(), StringComparison.Ordinal);
    }
}
