using System.Collections.Concurrent;

namespace MLwatch.Streaming.Kafka;

/// <summary>The silo's <see cref="IPartitionCommits"/>, updated by the receivers after each commit.</summary>
internal sealed class PartitionCommits : IPartitionCommits
{
    private readonly ConcurrentDictionary<KafkaPartition, long> _committed = new();

    public long CommittedBefore(KafkaPartition partition) => _committed.GetValueOrDefault(partition);

    /// <summary>Records that <paramref name="partition"/> was committed at <paramref name="committedBefore"/>; commits never move back.</summary>
    public void Committed(KafkaPartition partition, long committedBefore) =>
        _committed.AddOrUpdate(partition, committedBefore, (_, current) => Math.Max(current, committedBefore));
}
