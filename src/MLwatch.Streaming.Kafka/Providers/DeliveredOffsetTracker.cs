namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>
/// Tracks, for one partition, the offsets handed to the pulling agent and those reported delivered, and yields the
/// highest offset below which every handed-out record was delivered. Offsets need not be contiguous (compaction,
/// transaction markers); a record that is never reported delivered holds the mark back, so nothing past it is committed.
/// It also counts what is in flight (handed out, not yet delivered), by records and by estimated bytes, for the
/// receiver's in-flight budget and status.
/// </summary>
internal sealed class DeliveredOffsetTracker
{
    private readonly Lock _lock = new();
    private readonly Queue<long> _handedOut = new();
    private readonly HashSet<long> _deliveredAhead = [];
    private readonly Dictionary<long, long> _inFlightBytes = [];
    private long _deliveredThrough = -1;
    private long _handedOutThrough = -1;
    private long _bytesInFlight;

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

    /// <summary>The highest offset handed out, or -1 when none was.</summary>
    public long HandedOutThrough
    {
        get
        {
            lock (_lock)
            {
                return _handedOutThrough;
            }
        }
    }

    /// <summary>Records not yet passed by the delivered mark (delivered ahead of a gap, or not delivered at all).</summary>
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

    /// <summary>Records handed out and not yet reported delivered.</summary>
    public int InFlightRecords
    {
        get
        {
            lock (_lock)
            {
                return _inFlightBytes.Count;
            }
        }
    }

    /// <summary>Estimated bytes of the records handed out and not yet reported delivered.</summary>
    public long InFlightBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytesInFlight;
            }
        }
    }

    public void HandedOut(long offset, long bytes = 0)
    {
        lock (_lock)
        {
            _handedOut.Enqueue(offset);
            _inFlightBytes[offset] = bytes;
            _bytesInFlight += bytes;
            _handedOutThrough = Math.Max(_handedOutThrough, offset);
        }
    }

    /// <summary>Records that <paramref name="offset"/> was delivered; a report of an offset not in flight is ignored.</summary>
    public void Delivered(long offset)
    {
        lock (_lock)
        {
            if (!_inFlightBytes.Remove(offset, out var bytes))
            {
                return;
            }

            _bytesInFlight -= bytes;
            _deliveredAhead.Add(offset);
            while (_handedOut.TryPeek(out var head) && _deliveredAhead.Remove(head))
            {
                _deliveredThrough = _handedOut.Dequeue();
            }
        }
    }
}
