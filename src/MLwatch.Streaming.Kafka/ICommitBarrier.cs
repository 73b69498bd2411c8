namespace MLwatch.Streaming.Kafka;

/// <summary>
/// Makes durable all state derived from records delivered so far. The provider calls it before committing
/// offsets, so a committed offset never covers an effect that a crash could still lose.
/// </summary>
public interface ICommitBarrier
{
    /// <summary>
    /// Persists every effect of the records delivered before this call, for a checkpoint of <paramref name="partition"/>;
    /// throws when it cannot, and nothing is committed. Returns <see cref="CommitBarrierResult.Rewind"/> when effects of
    /// uncommitted records of <paramref name="partition"/> were lost before they were persisted (the grain holding them
    /// lost its activation): the partition must then be read again from its last committed offset instead of committed.
    /// </summary>
    Task<CommitBarrierResult> FlushAsync(KafkaPartition partition, CancellationToken cancellationToken);
}

/// <summary>What a checkpoint may do after the commit barrier flushed.</summary>
public enum CommitBarrierResult
{
    /// <summary>Every effect of the delivered records is durable: commit them.</summary>
    Commit,

    /// <summary>Effects of uncommitted records of the partition were lost: commit nothing, re-read from the last commit.</summary>
    Rewind,
}
