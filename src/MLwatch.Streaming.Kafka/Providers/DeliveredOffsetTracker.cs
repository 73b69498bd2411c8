namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>
/// Tracks, for one partition, the offsets handed to the pulling agent and those reported delivered, and yields the
/// highest offset below which every handed-out record was delivered. Offsets need not be contiguous (compaction,
/// transaction markers); a record that is never reported delivered holds the mark back, so nothing past it is committed.
/// </summary>
internal sealed class DeliveredOffsetTracker
{
    private readonly Lock _lock = new();
    private readonly Queue<long> _handedOut = new();
    private readonly HashSet<long> _deliveredAhead = [];
    private long _deliveredThrough = -1;

    /// <summary>The highest offset through which everything handed out was delivered, or -1 when none was.</summary>
    public long DeliveredThrough
    {
        get
        {
            lock (_lock)
            {
                return _deliveredThrough;
            }
        }
    }

    /// <summary>Records still awaiting delivery.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _handedOut.Count;
            }
        }
    }

    public void HandedOut(long offset)
    {
        lock (_lock)
        {
            _handedOut.Enqueue(offset);
        }
    }

    public void Delivered(long offset)
    {
        lock (_lock)
        {
            _deliveredAhead.Add(offset);
            while (_handedOut.TryPeek(out var head) && _deliveredAhead.Remove(head))
            {
                _deliveredThrough = _handedOut.Dequeue();
            }
        }
    }
}
