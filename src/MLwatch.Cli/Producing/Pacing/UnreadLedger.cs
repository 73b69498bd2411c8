namespace MLwatch.Cli.Producing.Pacing;

/// <summary>
/// Per partition, what this producer sent that the consumer group has not committed yet: records in flight to the
/// broker and acknowledged records at or after the group's committed offset. Chooses where the next record may go
/// without pushing any partition's unread part over the budget. Thread-safe: acknowledgements arrive on librdkafka's
/// delivery-report thread.
/// </summary>
public sealed class UnreadLedger
{
    private readonly Lock _lock = new();
    private readonly PartitionLedger[] _partitions;
    private int _next;

    /// <summary>Creates a ledger of <paramref name="partitions"/> partitions, each allowed <paramref name="maxBytes"/> and <paramref name="maxRecords"/> unread.</summary>
    public UnreadLedger(int partitions, long maxBytes, int maxRecords)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        _partitions = [.. Enumerable.Range(0, partitions).Select(_ => new PartitionLedger())];
        MaxBytes = maxBytes;
        MaxRecords = maxRecords;
    }

    /// <summary>Unread bytes allowed per partition.</summary>
    public long MaxBytes { get; }

    /// <summary>Unread records allowed per partition.</summary>
    public int MaxRecords { get; }

    /// <summary>Number of partitions.</summary>
    public int PartitionCount => _partitions.Length;

    /// <summary>
    /// Reserves room for a record of <paramref name="bytes"/> on the partition with the least unread bytes that has
    /// room (an empty partition always has room, however large the record), and returns it; null when none has room.
    /// </summary>
    public int? TryReserve(long bytes)
    {
        lock (_lock)
        {
            int? best = null;
            for (var i = 0; i < _partitions.Length; i++)
            {
                // Start after the last choice, so partitions with equal backlogs take turns.
                var candidate = (_next + i) % _partitions.Length;
                var ledger = _partitions[candidate];
                var fits = ledger.Records == 0 || (ledger.Bytes + bytes <= MaxBytes && ledger.Records + 1 <= MaxRecords);
                if (fits && (best is null || ledger.Bytes < _partitions[best.Value].Bytes))
                {
                    best = candidate;
                }
            }

            if (best is { } chosen)
            {
                _partitions[chosen].InFlight(bytes);
                _next = (chosen + 1) % _partitions.Length;
            }

            return best;
        }
    }

    /// <summary>The broker stored the record reserved on <paramref name="partition"/> at <paramref name="offset"/>.</summary>
    public void Acknowledged(int partition, long offset, long bytes)
    {
        lock (_lock)
        {
            _partitions[partition].Acknowledged(offset, bytes);
        }
    }

    /// <summary>The record reserved on <paramref name="partition"/> was not stored: its room is free again.</summary>
    public void Failed(int partition, long bytes)
    {
        lock (_lock)
        {
            _partitions[partition].Failed(bytes);
        }
    }

    /// <summary>The group committed <paramref name="partition"/> at <paramref name="committedOffset"/> (the next offset it will read): everything before is read.</summary>
    public void Committed(int partition, long committedOffset)
    {
        lock (_lock)
        {
            _partitions[partition].Committed(committedOffset);
        }
    }

    /// <summary>Unread bytes and records of <paramref name="partition"/>.</summary>
    public (long Bytes, int Records) Unread(int partition)
    {
        lock (_lock)
        {
            return (_partitions[partition].Bytes, _partitions[partition].Records);
        }
    }

    /// <summary>Unread bytes and records over all partitions.</summary>
    public (long Bytes, int Records) TotalUnread()
    {
        lock (_lock)
        {
            return (_partitions.Sum(p => p.Bytes), _partitions.Sum(p => p.Records));
        }
    }

    private sealed class PartitionLedger
    {
        // Acknowledged records in offset order: acknowledgements of one partition arrive in offset order.
        private readonly Queue<(long Offset, long Bytes)> _acknowledged = new();
        private long _committed = -1;

        public long Bytes { get; private set; }

        public int Records { get; private set; }

        public void InFlight(long bytes)
        {
            Bytes += bytes;
            Records++;
        }

        public void Acknowledged(long offset, long bytes)
        {
            if (offset < _committed)
            {
                // Read already (another producer's records moved the commit past it before the acknowledgement came).
                Failed(bytes);
                return;
            }

            _acknowledged.Enqueue((offset, bytes));
        }

        public void Failed(long bytes)
        {
            Bytes -= bytes;
            Records--;
        }

        public void Committed(long committedOffset)
        {
            _committed = Math.Max(_committed, committedOffset);
            while (_acknowledged.TryPeek(out var head) && head.Offset < _committed)
            {
                _acknowledged.Dequeue();
                Failed(head.Bytes);
            }
        }
    }
}
