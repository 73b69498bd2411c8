using Confluent.Kafka;
using MLwatch.Streaming.Kafka.Providers;
using MLwatch.Streaming.Kafka.Tests.Support;
using Orleans.Streams;
using static MLwatch.Streaming.Kafka.Tests.Support.ReceiverHarness;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

/// <summary>Photo-sized and huge records: memory is bounded by bytes at every stage, and a record larger than any bound still passes, alone.</summary>
[Collection(EmbeddedKafkaCollection.Name)]
public sealed class ByteBoundsTests(EmbeddedKafkaFixture kafka) : IAsyncLifetime
{
    private const int Photo = 300_000;
    private const int Huge = 16 * 1024 * 1024;
    private const long OneMebibyte = 1024 * 1024;

    // Named here: Confluent.Kafka has a type Partition too.
    private const int Partition = ReceiverHarness.Partition;

    private readonly ReceiverHarness _harness = new(kafka);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task The_buffer_fills_to_its_byte_budget_and_no_further()
    {
        await ProducePhotosAsync(8);
        var receiver = await _harness.StartAsync(o => o.ReceiveBufferBytes = OneMebibyte);

        // Nobody drains: the buffer fills to its budget (3 photos) and stops there.
        var full = receiver.Status();
        await Wait.UntilAsync(() => (full = receiver.Status()).BufferedRecords == 3, () => $"status {full}");
        Assert.True(full.BufferedBytes <= OneMebibyte, $"{full.BufferedBytes} bytes buffered");

        var photos = Records(await DrainAsync(receiver, 8));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), photos.Select(r => r.Offset));
        Assert.True(receiver.PeakBufferedBytes <= OneMebibyte, $"peak {receiver.PeakBufferedBytes} bytes");
    }

    [Fact]
    public async Task A_16_MiB_record_is_fetched_whole_and_passes_a_smaller_buffer_alone()
    {
        // The embedded broker keeps a record over 5 MiB readable only as its partition's first (see EmbeddedKafkaBrokerTests).
        var offset = await kafka.ProduceLargeAsync(_harness.Topic, Partition, Filled(Huge, 0xA5));
        var receiver = await _harness.StartAsync(o => o.ReceiveBufferBytes = OneMebibyte);

        var huge = Assert.Single(Records(await DrainAsync(receiver, 1)));

        Assert.Equal(offset, huge.Offset);
        Assert.False(huge.IsExpiredRange);
        Assert.Equal(Huge, huge.Value.Length);
        Assert.Equal(0xA5, huge.Value[^1]);
        Assert.True(receiver.PeakBufferedBytes <= OneMebibyte + RecordFootprint.Of(huge), $"peak {receiver.PeakBufferedBytes} bytes");
    }

    [Fact]
    public async Task Records_handed_out_and_not_delivered_stay_within_the_in_flight_budget()
    {
        await ProducePhotosAsync(8);
        var receiver = await _harness.StartAsync(o => o.InFlightBytes = OneMebibyte);
        var buffered = receiver.Status();
        await Wait.UntilAsync(() => (buffered = receiver.Status()).BufferedRecords == 8, () => $"status {buffered}");

        var first = await Take(receiver);
        Assert.Equal([0L, 1L, 2L], Records(first).Select(r => r.Offset));
        Assert.Empty(await Take(receiver));
        Assert.True(receiver.Status().InFlightBytes <= OneMebibyte);

        // Each delivery frees room for as much again.
        await receiver.MessagesDeliveredAsync([first[0]], CancellationToken.None);
        Assert.Equal([3L], Records(await Take(receiver)).Select(r => r.Offset));
        await receiver.MessagesDeliveredAsync([.. first.Skip(1)], CancellationToken.None);
        Assert.Equal([4L, 5L], Records(await Take(receiver)).Select(r => r.Offset));
    }

    [Fact]
    public async Task A_record_over_the_in_flight_budget_is_handed_out_once_nothing_else_is_in_flight()
    {
        await ProducePhotosAsync(1);
        await kafka.ProduceLargeAsync(_harness.Topic, Partition, Filled(2 * (int)OneMebibyte, 1));
        var receiver = await _harness.StartAsync(o => o.InFlightBytes = OneMebibyte);
        var photo = await DrainAsync(receiver, 1);

        var buffered = receiver.Status();
        await Wait.UntilAsync(() => (buffered = receiver.Status()).BufferedRecords == 1, () => $"status {buffered}");
        Assert.Empty(await Take(receiver));
        await receiver.MessagesDeliveredAsync(photo, CancellationToken.None);

        var large = Assert.Single(Records(await Take(receiver)));
        Assert.Equal(2 * OneMebibyte, large.Value.Length);
    }

    private Task ProducePhotosAsync(int count) =>
        kafka.ProduceAsync(_harness.Topic, Partition, [.. Enumerable.Range(0, count).Select(i => new Message<byte[]?, byte[]?> { Value = Filled(Photo, i) })]);

    private static Task<IList<IBatchContainer>> Take(KafkaQueueAdapterReceiver receiver) =>
        receiver.GetQueueMessagesAsync(QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG, CancellationToken.None);

    private static byte[] Filled(int length, int marker)
    {
        var value = new byte[length];
        value[^1] = (byte)marker;
        return value;
    }
}
