namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>
/// Decides when a partition is stalled: records wait and nothing was delivered for the stall time, counted from the
/// later of the last delivery and the moment records started waiting (an idle partition that receives a record is
/// not stalled at once because its last delivery was long ago). Reports each change once, for one log line each.
/// </summary>
internal sealed class StallWatch(TimeSpan stallAfter)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _waitingSince;
    private DateTimeOffset? _stalledSince;

    /// <summary>What an observation changed.</summary>
    public enum Change
    {
        None,
        Stalled,
        Flowing,
    }

    /// <summary>When the partition became stalled; null when it is not.</summary>
    public DateTimeOffset? StalledSince
    {
        get
        {
            lock (_lock)
            {
                return _stalledSince;
            }
        }
    }

    /// <summary>
    /// Observes the partition at <paramref name="now"/>; <paramref name="stalledFor"/> is how long the stall lasted when
    /// the result is <see cref="Change.Flowing"/>.
    /// </summary>
    public Change Observe(DateTimeOffset now, bool recordsWait, DateTimeOffset? lastDelivery, out TimeSpan stalledFor)
    {
        lock (_lock)
        {
            stalledFor = TimeSpan.Zero;
            var stalled = false;
            if (recordsWait)
            {
                _waitingSince ??= now;
                var quietSince = lastDelivery is { } delivered && delivered > _waitingSince.Value ? delivered : _waitingSince.Value;
                stalled = now - quietSince >= stallAfter;
            }
            else
            {
                _waitingSince = null;
            }

            if (stalled && _stalledSince is null)
            {
                _stalledSince = now;
                return Change.Stalled;
            }

            if (!stalled && _stalledSince is { } since)
            {
                stalledFor = now - since;
                _stalledSince = null;
                return Change.Flowing;
            }

            return Change.None;
        }
    }
}
