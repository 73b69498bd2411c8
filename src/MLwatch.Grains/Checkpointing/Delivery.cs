using MLwatch.Streaming.Kafka;
using Orleans.Streams;

namespace MLwatch.Grains.Checkpointing;

/// <summary>
/// Consecutive records of one partition as one stream delivery brought them, with the range of offsets they cover and
/// the partition's committed offset at the time: what every batch sent on to a stateful grain states, so that the grain
/// can record the whole range as applied (see <see cref="Persistence.AppliedOffsets"/>).
/// </summary>
/// <param name="Source">The partition (one Orleans stream is one partition).</param>
/// <param name="FirstOffset">First offset covered: of the first record, or the first offset of an expired range it notes.</param>
/// <param name="LastOffset">Offset of the last record; the receiver handed out every record in between, in this delivery.</param>
/// <param name="CommittedBefore">The partition's committed offset as this silo last committed it (0 when it has not).</param>
/// <param name="Records">The records, in offset order.</param>
public sealed record Delivery(KafkaPartition Source, long FirstOffset, long LastOffset, long CommittedBefore, IReadOnlyList<KafkaRecord> Records)
{
    /// <summary>
    /// Splits one stream delivery into runs of increasing offsets. A delivery is normally one run: the pulling agent hands
    /// a consumer consecutive records of its stream. Only after a receiver rewound can cached records of the old pass be
    /// followed by re-read ones with lower offsets; a range spanning both would claim offsets nobody delivered.
    /// </summary>
    public static List<Delivery> Split(IList<SequentialItem<KafkaRecord>> items, IPartitionCommits commits)
    {
        var deliveries = new List<Delivery>(1);
        var start = 0;
        for (var i = 1; i <= items.Count; i++)
        {
            if (i < items.Count && StartOf(items[i].Item) > items[i - 1].Item.Offset && items[i].Item.Partition == items[start].Item.Partition)
            {
                continue;
            }

            var records = new KafkaRecord[i - start];
            for (var j = start; j < i; j++)
            {
                records[j - start] = items[j].Item;
            }

            var source = new KafkaPartition(records[0].Topic, records[0].Partition);
            deliveries.Add(new Delivery(source, StartOf(records[0]), records[^1].Offset, commits.CommittedBefore(source), records));
            start = i;
        }

        return deliveries;
    }

    /// <summary>
    /// The delivery cut in two at its middle record, each half covering its own part of the offset range and together
    /// exactly this one's (offsets between two records, such as transaction markers, go with the first half).
    /// </summary>
    public (Delivery First, Delivery Second) Halves()
    {
        if (Records.Count < 2)
        {
            throw new InvalidOperationException($"A delivery of {Records.Count} record(s) cannot be halved.");
        }

        var middle = Records.Count / 2;
        var secondStart = StartOf(Records[middle]);
        return (
            this with { LastOffset = secondStart - 1, Records = [.. Records.Take(middle)] },
            this with { FirstOffset = secondStart, Records = [.. Records.Skip(middle)] });
    }

    /// <summary>The first offset <paramref name="record"/> covers: its own, or the first of the expired range it notes.</summary>
    public static long StartOf(KafkaRecord record) => record.ExpiredFromOffset ?? record.Offset;
}
