namespace MLwatch.Streaming.Kafka;

/// <summary>The barrier used when the application registers none: consumers are durable on return (at-least-once).</summary>
internal sealed class ImmediateCommitBarrier : ICommitBarrier
{
    public Task<CommitBarrierResult> FlushAsync(KafkaPartition partition, CancellationToken cancellationToken) =>
        Task.FromResult(CommitBarrierResult.Commit);
}
