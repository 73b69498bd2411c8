namespace MLwatch.Streaming.Kafka;

/// <summary>
/// Makes durable all state derived from records delivered so far. The provider calls it before committing
/// offsets, so a committed offset never covers an effect that a crash could still lose.
/// </summary>
public interface ICommitBarrier
{
    /// <summary>Persists every effect of the records delivered before this call; throws when it cannot, and nothing is committed.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
