using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace MLwatch.Grains.Checkpointing;

/// <summary>
/// A stateless consumer of one of our Kafka streams: attaches itself when the implicit subscription is made (a delivery
/// finding no observer would count as delivered), splits each delivery into runs of increasing offsets
/// (<see cref="Delivery.Split"/>) and consumes them one after another.
/// </summary>
public abstract partial class DeliveryConsumerGrain(IPartitionCommits commits, ILogger logger)
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
            await ConsumeAsync(delivery);
        }
    }

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, GetType().Name);
        return Task.CompletedTask;
    }

    /// <summary>Handles one run of a partition's records; returns once every grain it changed has applied the change.</summary>
    protected abstract Task ConsumeAsync(Delivery delivery);

    [LoggerMessage(Level = LogLevel.Error, Message = "The stream consumed by {Consumer} reported an error.")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string consumer);
}
