namespace MLwatch.Streaming.Kafka;

/// <summary>
/// The offsets this silo's Kafka receivers have committed. A commit happens only after the commit barrier persisted
/// every grain the records before it reached, so everything below a partition's committed offset is durable wherever
/// it was applied; consumers use it to compact their record of applied offsets. One per silo, shared by all providers.
/// </summary>
public interface IPartitionCommits
{
    /// <summary>
    /// The committed offset of <paramref name="partition"/> (the next record to read after a restart), as last committed
    /// by this silo; 0 when this silo has committed none. A lower bound: another silo may have committed more since.
    /// </summary>
    long CommittedBefore(KafkaPartition partition);
}
