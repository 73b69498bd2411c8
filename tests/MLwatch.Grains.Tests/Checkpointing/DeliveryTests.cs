using MLwatch.Grains.Checkpointing;
using MLwatch.Streaming.Kafka;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace MLwatch.Grains.Tests.Checkpointing;

public sealed class DeliveryTests
{
    private const string Topic = "mlwatch.requests";

    [Fact]
    public void A_delivery_of_consecutive_records_is_one_range_with_the_partitions_committed_offset()
    {
        var commits = new FixedCommits { [new KafkaPartition(Topic, 2)] = 40 };

        var delivery = Assert.Single(Delivery.Split(Items(2, 40, 41, 43, 44), commits));

        Assert.Equal((new KafkaPartition(Topic, 2), 40L, 44L, 40L), (delivery.Source, delivery.FirstOffset, delivery.LastOffset, delivery.CommittedBefore));
        Assert.Equal([40L, 41L, 43L, 44L], delivery.Records.Select(r => r.Offset));
    }

    [Fact]
    public void Records_read_again_after_a_rewind_start_a_new_range()
    {
        // Cached records 8, 9 of the first pass, then the pass from the committed offset 4.
        var deliveries = Delivery.Split(Items(0, 8, 9, 4, 5, 6), new FixedCommits());

        Assert.Equal([(8L, 9L), (4L, 6L)], deliveries.Select(d => (d.FirstOffset, d.LastOffset)));
        Assert.All(deliveries, d => Assert.Equal(0, d.CommittedBefore));
    }

    [Fact]
    public void A_notice_of_expired_records_extends_the_range_back_to_the_first_lost_offset()
    {
        // Offsets 0..524 were deleted before they were read; the receiver notes them, then delivers 525 and 526.
        var items = Sequence(KafkaRecord.Expired(Topic, 0, 0, 524), Record(0, 525), Record(0, 526));

        var delivery = Assert.Single(Delivery.Split(items, new FixedCommits()));

        Assert.Equal((0L, 526L), (delivery.FirstOffset, delivery.LastOffset));
    }

    [Fact]
    public void A_notice_after_records_continues_their_run()
    {
        var items = Sequence(Record(0, 10), KafkaRecord.Expired(Topic, 0, 11, 99), Record(0, 100));

        var delivery = Assert.Single(Delivery.Split(items, new FixedCommits()));

        Assert.Equal((10L, 100L), (delivery.FirstOffset, delivery.LastOffset));
    }

    [Fact]
    public void Halving_at_a_notice_gives_the_second_half_the_lost_range()
    {
        var delivery = Assert.Single(Delivery.Split(Sequence(Record(0, 9), Record(0, 10), KafkaRecord.Expired(Topic, 0, 11, 99), Record(0, 100)), new FixedCommits()));

        var (first, second) = delivery.Halves();

        Assert.Equal((9L, 10L), (first.FirstOffset, first.LastOffset));
        Assert.Equal((11L, 100L), (second.FirstOffset, second.LastOffset));
    }

    [Fact]
    public void A_single_record_cannot_be_halved()
    {
        var delivery = Assert.Single(Delivery.Split(Items(0, 5), new FixedCommits()));

        Assert.Throws<InvalidOperationException>(() => delivery.Halves());
    }

    [Fact]
    public void An_empty_delivery_has_no_range()
    {
        Assert.Empty(Delivery.Split([], new FixedCommits()));
    }

    private static List<SequentialItem<KafkaRecord>> Items(int partition, params long[] offsets) =>
        [.. offsets.Select((offset, i) => new SequentialItem<KafkaRecord>(
            new KafkaRecord(Topic, partition, offset, null, [], [], 0),
            new EventSequenceTokenV2(i)))];

    private static KafkaRecord Record(int partition, long offset) => new(Topic, partition, offset, null, [], [], 0);

    private static List<SequentialItem<KafkaRecord>> Sequence(params KafkaRecord[] records) =>
        [.. records.Select((record, i) => new SequentialItem<KafkaRecord>(record, new EventSequenceTokenV2(i)))];

    private sealed class FixedCommits : Dictionary<KafkaPartition, long>, IPartitionCommits
    {
        public long CommittedBefore(KafkaPartition partition) => TryGetValue(partition, out var committed) ? committed : 0;
    }
}
