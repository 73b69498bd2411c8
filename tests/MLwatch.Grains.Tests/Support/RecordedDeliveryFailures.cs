using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Tests.Support;

/// <summary>An <see cref="IDeliveryFailures"/> that keeps what it was told, in order.</summary>
internal sealed class RecordedDeliveryFailures : IDeliveryFailures
{
    private readonly List<string> _events = [];

    /// <summary>"failed {partition}: {exception type}" and "succeeded {partition}", in order.</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public int FailedCount => Events.Count(e => e.StartsWith("failed", StringComparison.Ordinal));

    public void Failed(KafkaPartition partition, Exception error)
    {
        lock (_events)
        {
            _events.Add($"failed {partition.Topic}/{partition.Partition}: {error.GetType().Name}");
        }
    }

    public void Succeeded(KafkaPartition partition)
    {
        lock (_events)
        {
            _events.Add($"succeeded {partition.Topic}/{partition.Partition}");
        }
    }

    public DeliveryFailureRun? Current(KafkaPartition partition) => null;
}
