using System.Globalization;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// The Kafka partitions this silo receives right now, one per running receiver (every Kafka stream provider of the
/// silo reports here). A receiver adds its partition when it starts and removes it when it shuts down, so the set
/// follows Orleans' queue balancer as partitions move between silos.
/// </summary>
public sealed class KafkaPartitionOwnership
{
    private readonly Lock _gate = new();
    private readonly SortedSet<(string Topic, int Partition)> _owned = [];

    /// <summary>Records that this silo started receiving <paramref name="topic"/>/<paramref name="partition"/>.</summary>
    public void Acquired(string topic, int partition)
    {
        lock (_gate)
        {
            _owned.Add((topic, partition));
        }
    }

    /// <summary>Records that this silo stopped receiving <paramref name="topic"/>/<paramref name="partition"/>.</summary>
    public void Released(string topic, int partition)
    {
        lock (_gate)
        {
            _owned.Remove((topic, partition));
        }
    }

    /// <summary>"{topic}/{partition}" of every partition received now, ordered by topic then partition number.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _owned.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Topic}/{p.Partition}"))];
        }
    }
}
