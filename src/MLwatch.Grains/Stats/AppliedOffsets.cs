namespace MLwatch.Grains.Stats;

/// <summary>
/// Exactly-once application over at-least-once delivery, with a per-partition high-water mark.
/// A bare mark is enough here because delivery per partition is sequential by design: each Kafka partition is one
/// Orleans stream, and the pulling agent delivers a stream's next batch only after the previous delivery succeeded,
/// i.e. after every label grain has applied it. A delivery retried while an earlier attempt is still running can
/// therefore only bring records that a completed attempt already applied, and ignoring them is right.
/// </summary>
public static class AppliedOffsets
{
    /// <summary>Advances the mark of <paramref name="topic"/>/<paramref name="partition"/> to <paramref name="offset"/>; false when it was applied already.</summary>
    public static bool TryAdvance(Dictionary<string, long> marks, string topic, int partition, long offset)
    {
        var key = $"{topic}/{partition}";
        if (marks.TryGetValue(key, out var through) && offset <= through)
        {
            return false;
        }

        marks[key] = offset;
        return true;
    }
}
