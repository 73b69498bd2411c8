namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>
/// The records of one partition between the Kafka poll thread and the pulling agent, bounded by count and by bytes.
/// A record is admitted while both bounds hold, and always when the buffer is empty, so a record larger than the byte
/// budget still passes (alone): the buffer never holds more than its budget plus one record. The poll thread waits
/// for room with a timeout, so it keeps polling for rewinds and status even while nobody drains the buffer.
/// </summary>
internal sealed class ReceiveBuffer(int maxRecords, long maxBytes)
{
    // Monitor rather than Lock: the poll thread waits on it for room.
    private readonly object _gate = new();
    private readonly Queue<Entry> _entries = new();
    private long _bytes;
    private long _peakBytes;

    /// <summary>One buffered record, the receiver generation that read it, and its estimated size.</summary>
    public readonly record struct Entry(KafkaRecord Record, int Generation, long Bytes);

    /// <summary>Records held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Estimated bytes held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The most bytes held at any time.</summary>
    public long PeakBytes
    {
        get
        {
            lock (_gate)
            {
                return _peakBytes;
            }
        }
    }

    /// <summary>Adds <paramref name="entry"/> if the bounds allow it (always into an empty buffer).</summary>
    public bool TryAdd(Entry entry)
    {
        lock (_gate)
        {
            if (!Admits(entry.Bytes))
            {
                return false;
            }

            _entries.Enqueue(entry);
            _bytes += entry.Bytes;
            _peakBytes = Math.Max(_peakBytes, _bytes);
            return true;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> until a record of <paramref name="bytes"/> would be admitted.</summary>
    public void WaitForRoom(long bytes, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (!Admits(bytes))
            {
                Monitor.Wait(_gate, timeout);
            }
        }
    }

    /// <summary>The oldest record, left in the buffer.</summary>
    public bool TryPeek(out Entry entry)
    {
        lock (_gate)
        {
            return _entries.TryPeek(out entry);
        }
    }

    /// <summary>Removes the oldest record.</summary>
    public bool TryTake(out Entry entry)
    {
        lock (_gate)
        {
            if (!_entries.TryDequeue(out entry))
            {
                return false;
            }

            _bytes -= entry.Bytes;
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Drops every record (a rewind reads them again from Kafka).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _bytes = 0;
            Monitor.PulseAll(_gate);
        }
    }

    private bool Admits(long bytes) => _entries.Count == 0 || (_entries.Count < maxRecords && _bytes + bytes <= maxBytes);
}
