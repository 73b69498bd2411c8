namespace MLwatch.Grains.Persistence;

/// <summary>An inclusive range of Kafka offsets.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.offset-interval")]
public readonly record struct OffsetInterval(
    [property: Id(0)] long From,
    [property: Id(1)] long To);

/// <summary>
/// Exactly-once application over at-least-once delivery: per "{topic}/{partition}", the offsets whose records a grain
/// has applied, as a short sorted list of disjoint, non-adjacent intervals.
/// <para>
/// Every batch a grain receives states the contiguous range of offsets the delivering grain covered (one delivery of one
/// partition's stream), not only the offsets of its own items: a record is applied only when its offset lies in no
/// interval, and then the whole range is added. Deliveries may therefore arrive in any order and any number of times:
/// Orleans does not promise sequential delivery per stream across stateless-worker activations, retries overlap, and a
/// receiver that rewinds redelivers. A bare "highest offset seen" mark would be wrong twice over: it would skip an older
/// range arriving late, and after an activation was lost with unpersisted records, the next delivery would move the mark
/// past them so that their replay is ignored. With intervals a new activation has a hole exactly where the lost records
/// were, and replaying them applies them once.
/// </para>
/// <para>
/// Compaction: a partition's offset is committed only after every grain its earlier records reached has persisted them,
/// so every offset below the committed one is either applied in the persisted state or was never meant for the grain.
/// Each batch carries that committed offset, and everything below it collapses into one interval starting at 0. The list
/// therefore holds at most the gaps opened since the last commit (a few checkpoint intervals' worth of deliveries).
/// </para>
/// </summary>
[GenerateSerializer, Alias("mlwatch.applied-offsets")]
public sealed class AppliedOffsets
{
    /// <summary>Applied offsets by "{topic}/{partition}", each list sorted by <see cref="OffsetInterval.From"/>.</summary>
    [Id(0)] public Dictionary<string, List<OffsetInterval>> Partitions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key of a partition in <see cref="Partitions"/>.</summary>
    public static string Key(string topic, int partition) => $"{topic}/{partition}";

    /// <summary>Whether the record at <paramref name="offset"/> of <paramref name="topic"/>/<paramref name="partition"/> was applied.</summary>
    public bool Contains(string topic, int partition, long offset) =>
        Partitions.TryGetValue(Key(topic, partition), out var intervals) && Contains(intervals, offset);

    /// <summary>
    /// Applies one delivery of <paramref name="topic"/>/<paramref name="partition"/> that covered offsets
    /// <paramref name="firstOffset"/>..<paramref name="lastOffset"/>: calls <paramref name="apply"/> for each item whose
    /// offset was not applied yet, then records the whole range and compacts below <paramref name="committedBefore"/>.
    /// Returns how many items were applied and whether anything (items or intervals) changed.
    /// </summary>
    public (int Applied, bool Changed) Apply<T>(
        string topic,
        int partition,
        long firstOffset,
        long lastOffset,
        long committedBefore,
        IReadOnlyList<T> items,
        Func<T, long> offsetOf,
        Action<T> apply)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(lastOffset, firstOffset);
        var key = Key(topic, partition);
        foreach (var item in items)
        {
            var offset = offsetOf(item);
            if (offset < firstOffset || offset > lastOffset)
            {
                throw new ArgumentOutOfRangeException(nameof(items), offset, $"An item of {key} at offset {offset} lies outside its delivery's range {firstOffset}..{lastOffset}.");
            }
        }

        if (!Partitions.TryGetValue(key, out var intervals))
        {
            Partitions[key] = intervals = [];
        }

        var applied = 0;
        foreach (var item in items)
        {
            if (!Contains(intervals, offsetOf(item)))
            {
                apply(item);
                applied++;
            }
        }

        var changed = Add(intervals, firstOffset, lastOffset);
        changed |= Compact(intervals, committedBefore);
        return (applied, changed || applied > 0);
    }

    /// <summary>
    /// Like <see cref="Apply{T}"/> for items that each stand for a range of offsets (a notice of records deleted before
    /// they were read): calls <paramref name="apply"/> with each item and how many offsets of its range were not
    /// applied yet, when there are any, so a range redelivered wider or narrower (a receiver that rewound and found more,
    /// or fewer, records gone) is counted once per offset. Returns how many offsets were applied and whether anything changed.
    /// </summary>
    public (long Applied, bool Changed) ApplyRanges<T>(
        string topic,
        int partition,
        long firstOffset,
        long lastOffset,
        long committedBefore,
        IReadOnlyList<T> items,
        Func<T, OffsetInterval> rangeOf,
        Action<T, long> apply)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(lastOffset, firstOffset);
        var key = Key(topic, partition);
        foreach (var item in items)
        {
            var range = rangeOf(item);
            if (range.From < firstOffset || range.To > lastOffset || range.To < range.From)
            {
                throw new ArgumentOutOfRangeException(nameof(items), range, $"An item of {key} covering {range.From}..{range.To} lies outside its delivery's range {firstOffset}..{lastOffset}.");
            }
        }

        if (!Partitions.TryGetValue(key, out var intervals))
        {
            Partitions[key] = intervals = [];
        }

        long applied = 0;
        foreach (var item in items)
        {
            var range = rangeOf(item);
            var missing = CountMissing(intervals, range.From, range.To);
            if (missing > 0)
            {
                apply(item, missing);
                applied += missing;
            }
        }

        var changed = Add(intervals, firstOffset, lastOffset);
        changed |= Compact(intervals, committedBefore);
        return (applied, changed || applied > 0);
    }

    /// <summary>How many offsets of [<paramref name="from"/>, <paramref name="to"/>] lie in none of <paramref name="intervals"/>.</summary>
    public static long CountMissing(List<OffsetInterval> intervals, long from, long to)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var missing = to - from + 1;
        var index = Math.Max(0, LastStartingAtOrBefore(intervals, from));
        for (; index < intervals.Count && intervals[index].From <= to; index++)
        {
            var overlapFrom = Math.Max(from, intervals[index].From);
            var overlapTo = Math.Min(to, intervals[index].To);
            if (overlapTo >= overlapFrom)
            {
                missing -= overlapTo - overlapFrom + 1;
            }
        }

        return missing;
    }

    /// <summary>
    /// Takes over the marks of rows written before intervals existed (per partition, the highest offset applied, under
    /// the old assumption of sequential delivery): a mark t becomes the interval [0, t].
    /// </summary>
    public void ImportMarks(IReadOnlyDictionary<string, long> marks)
    {
        foreach (var (key, through) in marks)
        {
            if (through < 0)
            {
                continue;
            }

            if (!Partitions.TryGetValue(key, out var intervals))
            {
                Partitions[key] = intervals = [];
            }

            Add(intervals, 0, through);
        }
    }

    /// <summary>Whether <paramref name="offset"/> lies in one of <paramref name="intervals"/>.</summary>
    public static bool Contains(List<OffsetInterval> intervals, long offset)
    {
        var index = LastStartingAtOrBefore(intervals, offset);
        return index >= 0 && intervals[index].To >= offset;
    }

    /// <summary>Adds [<paramref name="from"/>, <paramref name="to"/>], merging overlapping and adjacent intervals; false when nothing was new.</summary>
    public static bool Add(List<OffsetInterval> intervals, long from, long to)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var index = LastStartingAtOrBefore(intervals, from);
        if (index >= 0 && intervals[index].To >= to)
        {
            return false;
        }

        // Merge with the interval before when it overlaps or touches the new one.
        if (index >= 0 && intervals[index].To >= from - 1)
        {
            from = intervals[index].From;
        }
        else
        {
            index++;
        }

        // Swallow every following interval that starts within (or right after) the merged one.
        var end = index;
        while (end < intervals.Count && intervals[end].From <= to + 1)
        {
            to = Math.Max(to, intervals[end].To);
            end++;
        }

        intervals.RemoveRange(index, end - index);
        intervals.Insert(index, new OffsetInterval(from, to));
        return true;
    }

    /// <summary>Marks every offset below <paramref name="committedBefore"/> applied; false when it already was.</summary>
    public static bool Compact(List<OffsetInterval> intervals, long committedBefore) =>
        committedBefore > 0 && Add(intervals, 0, committedBefore - 1);

    private static int LastStartingAtOrBefore(List<OffsetInterval> intervals, long offset)
    {
        int low = 0, high = intervals.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (intervals[middle].From <= offset)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}
