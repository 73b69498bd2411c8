using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka.Telemetry;

namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>
/// The flush-then-commit protocol: snapshot what a partition has delivered, make every effect of it durable through
/// the <see cref="ICommitBarrier"/>, and only then commit the offset after it. When the barrier reports that effects of
/// the partition's uncommitted records were lost, the receiver rewinds to its last commit instead, so the records are
/// delivered again (consumers apply each record once). Checkpoints of all partitions of a provider are serialized; each
/// one that had something to commit is timed by <paramref name="metrics"/>.
/// </summary>
internal sealed partial class KafkaCheckpointer(string providerName, ICommitBarrier barrier, ILogger<KafkaCheckpointer> logger, KafkaMetrics? metrics = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task CheckpointAsync(KafkaQueueAdapterReceiver receiver, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Snapshot first: everything delivered through it touched state before the barrier starts.
            var deliveredThrough = receiver.DeliveredThrough;
            if (deliveredThrough <= receiver.CommittedThrough)
            {
                return;
            }

            if (await barrier.FlushAsync(receiver.Source, cancellationToken) == CommitBarrierResult.Rewind)
            {
                receiver.Rewind();
                metrics?.CheckpointEnded(receiver.Source, CheckpointOutcomes.Rewound, started);
                return;
            }

            receiver.Commit(deliveredThrough);
            metrics?.CheckpointEnded(receiver.Source, CheckpointOutcomes.Committed, started);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCheckpointFailed(exception, providerName, receiver.Partition);
            metrics?.CheckpointEnded(receiver.Source, CheckpointOutcomes.Failed, started);
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka stream provider '{ProviderName}': checkpoint of partition {Partition} failed; its offset stays uncommitted and the next checkpoint retries. Records after the last commit are replayed after a restart and skipped where already applied.")]
    private partial void LogCheckpointFailed(Exception exception, string providerName, int partition);
}
