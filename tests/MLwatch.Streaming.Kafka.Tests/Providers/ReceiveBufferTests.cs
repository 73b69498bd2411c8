using MLwatch.Streaming.Kafka.Providers;

namespace MLwatch.Streaming.Kafka.Tests.Providers;

public sealed class ReceiveBufferTests
{
    [Fact]
    public void Records_are_admitted_while_count_and_bytes_allow_and_taken_in_order()
    {
        var buffer = new ReceiveBuffer(maxRecords: 10, maxBytes: 250);

        Assert.True(buffer.TryAdd(Entry(0, 100)));
        Assert.True(buffer.TryAdd(Entry(1, 150)));
        Assert.False(buffer.TryAdd(Entry(2, 1)));
        Assert.Equal((2, 250L), (buffer.Count, buffer.Bytes));

        Assert.True(buffer.TryTake(out var first));
        Assert.Equal(0, first.Record.Offset);
        Assert.True(buffer.TryAdd(Entry(2, 100)));
        Assert.Equal([1L, 2L], Drain(buffer));
    }

    [Fact]
    public void The_count_bound_holds_for_small_records()
    {
        var buffer = new ReceiveBuffer(maxRecords: 2, maxBytes: 1_000_000);

        Assert.True(buffer.TryAdd(Entry(0, 1)));
        Assert.True(buffer.TryAdd(Entry(1, 1)));
        Assert.False(buffer.TryAdd(Entry(2, 1)));
    }

    [Fact]
    public void A_record_larger_than_the_budget_is_admitted_alone_so_the_peak_is_at_most_budget_plus_one_record()
    {
        var buffer = new ReceiveBuffer(maxRecords: 10, maxBytes: 100);
        Assert.True(buffer.TryAdd(Entry(0, 60)));

        Assert.False(buffer.TryAdd(Entry(1, 5_000)));
        buffer.TryTake(out _);
        Assert.True(buffer.TryAdd(Entry(1, 5_000)));
        Assert.False(buffer.TryAdd(Entry(2, 1)));

        Assert.Equal(5_000, buffer.PeakBytes);
    }

    [Fact]
    public async Task Clear_empties_the_buffer_and_wakes_a_waiting_writer()
    {
        var buffer = new ReceiveBuffer(maxRecords: 1, maxBytes: 100);
        buffer.TryAdd(Entry(0, 10));
        var waiter = Task.Run(() => buffer.WaitForRoom(10, TimeSpan.FromMinutes(5)));

        buffer.Clear();

        await waiter.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((0, 0L), (buffer.Count, buffer.Bytes));
        Assert.True(buffer.TryAdd(Entry(1, 10)));
    }

    private static ReceiveBuffer.Entry Entry(long offset, long bytes) => new(new KafkaRecord("t", 0, offset, null, [], [], 0), 0, bytes);

    private static List<long> Drain(ReceiveBuffer buffer)
    {
        var offsets = new List<long>();
        while (buffer.TryTake(out var entry))
        {
            offsets.Add(entry.Record.Offset);
        }

        return offsets;
    }
}
