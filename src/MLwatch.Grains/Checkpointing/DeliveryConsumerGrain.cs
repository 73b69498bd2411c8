using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace MLwatch.Grains.Checkpointing;

/// <summary>
/// A stateless consumer of one of our Kafka streams: attaches itself when the implicit subscription is made (a delivery
/// finding no observer would count as delivered), splits each delivery into runs of increasing offsets
/// (<see cref="Delivery.Split"/>) and consumes them one after another under the failure policy below.
/// <para>
/// Failure policy: nothing stops the stream. Bad input never throws (it becomes a dead letter with a reason code), but
/// some failures will be bugs, and an exception out of a delivery would fail it in Orleans, which retries it forever
/// (MaxEventDeliveryTime is infinite) and blocks the partition. So <see cref="PoisonRecordIsolation"/> runs every run:
/// </para>
/// <list type="bullet">
/// <item>A failure that is not the records' fault (<see cref="ExternalFailure"/>: Orleans transport and timeouts, grain
/// storage such as PostgreSQL being down, the dead-letter producer's Kafka errors, cancellation) is rethrown: the
/// delivery fails and Orleans delivers it again, as long as it takes. A storage outage never turns records into dead letters.</item>
/// <item>Any other failure is retried in the grain, Ingest:DeliveryRetries times (default 3), waiting
/// Ingest:DeliveryRetryBackoff (default 100 ms) doubling up to 1 s in between, so a passing glitch costs nothing.</item>
/// <item>Still failing, the run is cut in halves, recursively: each half is tried once and only a failing half is cut
/// again, until single records fail alone. Those are dead-lettered as <c>internal-error</c> (mlwatch-error
/// "{exception type}: {message}"; the stack is logged once per silo per exception type and throw site, not per record);
/// the rest are applied and the partition moves on. Halving a 64-record delivery takes at most 127 attempts.</item>
/// <item>Every failed attempt is reported to <see cref="IDeliveryFailures"/> (the partition's status shows the retries),
/// and the run's end, applied or isolated, as a success.</item>
/// </list>
/// <para>
/// Guarantee. Each half is a <see cref="Delivery"/> with its own offset range (<see cref="Delivery.Halves"/>), and a
/// stateful grain records the range of every batch it applies (<see cref="Persistence.AppliedOffsets"/>). So when an
/// attempt failed after some grains had applied it (the label grains took their batches, then the monitor threw), those
/// grains ignore the same records in every later attempt and half, and the others apply them when their half goes
/// through: every record that is not isolated is applied exactly once in every grain it is meant for. An isolated
/// record is dead-lettered and counted once among the dead letters (its own one-offset range), and is applied by no
/// grain that failed on it; but a grain that accepted it in an attempt before another grain threw keeps it (it may be
/// in a label's count while the monitor never saw it). This holds as long as a stateful grain applies a batch whole or
/// throws before changing anything, which the grains do: offsets are validated first and the per-record arithmetic does
/// not throw. Publishing a dead letter that fails for an external reason fails the delivery, which comes again: the
/// dead-letter topic may then hold that dead letter twice, its count does not.
/// </para>
/// </summary>
public abstract partial class DeliveryConsumerGrain(IPartitionCommits commits, PoisonRecordIsolation isolation, ILogger logger)
    : Grain, IStreamSubscriptionObserver, IAsyncBatchObserver<KafkaRecord>
{
    /// <summary>The consumer's logger.</summary>
    protected ILogger Logger => logger;

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<KafkaRecord>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<KafkaRecord>> items)
    {
        foreach (var delivery in Delivery.Split(items, commits))
        {
            await isolation.ConsumeAsync(delivery, ConsumeAsync);
        }
    }

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, GetType().Name);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Handles one run of a partition's records; returns once every grain it changed has applied the change. A run that
    /// throws is retried and, if it keeps failing, halved: it may be called again with the same records or a part of them.
    /// </summary>
    protected abstract Task ConsumeAsync(Delivery delivery);

    [LoggerMessage(Level = LogLevel.Error, Message = "The stream consumed by {Consumer} reported an error.")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string consumer);
}
