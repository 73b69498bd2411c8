namespace MLwatch.Streaming.Kafka;

/// <summary>
/// The Kafka partitions this silo receives right now, one per running receiver (every Kafka stream provider of the
/// silo reports here), each with its live status. A receiver acquires its partition when it starts and releases it
/// when it shuts down, so the set follows Orleans' queue balancer as partitions move between silos.
/// </summary>
public sealed class KafkaPartitionOwnership
{
    private static readonly Comparer<KafkaPartition> ByTopicThenPartition = Comparer<KafkaPartition>.Create(
        (a, b) => string.CompareOrdinal(a.Topic, b.Topic) is var byTopic and not 0 ? byTopic : a.Partition.CompareTo(b.Partition));

    private readonly Lock _gate = new();
    private readonly SortedDictionary<KafkaPartition, Registration> _owned = new(ByTopicThenPartition);

    /// <summary>
    /// Records that this silo started receiving <paramref name="partition"/>, whose status <paramref name="status"/>
    /// reports on demand; disposing the result records that it stopped (unless another receiver took the entry over).
    /// </summary>
    public IDisposable Acquire(KafkaPartition partition, Func<KafkaPartitionStatus> status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var registration = new Registration(this, partition, status);
        lock (_gate)
        {
            _owned[partition] = registration;
        }

        return registration;
    }

    /// <summary>"{topic}/{partition}" of every partition received now, ordered by topic then partition number.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _owned.Keys.Select(p => p.ToString())];
        }
    }

    /// <summary>The status of every partition received now, in the order of <see cref="Snapshot"/>.</summary>
    public IReadOnlyList<KafkaPartitionStatus> Statuses()
    {
        Registration[] owned;
        lock (_gate)
        {
            owned = [.. _owned.Values];
        }

        // Computed outside the gate: each status takes its receiver's own locks.
        return [.. owned.Select(r => r.Status())];
    }

    private void Release(Registration registration)
    {
        lock (_gate)
        {
            if (_owned.TryGetValue(registration.Partition, out var current) && ReferenceEquals(current, registration))
            {
                _owned.Remove(registration.Partition);
            }
        }
    }

    private sealed class Registration(KafkaPartitionOwnership owner, KafkaPartition partition, Func<KafkaPartitionStatus> status) : IDisposable
    {
        public KafkaPartition Partition => partition;

        public KafkaPartitionStatus Status() => status();

        public void Dispose() => owner.Release(this);
    }
}
