using System.Collections.Concurrent;

namespace MLwatch.Streaming.Kafka;

/// <summary>The silo's <see cref="IDeliveryFailures"/>: one run of failures per partition, cleared by the next success.</summary>
internal sealed class DeliveryFailures(TimeProvider clock) : IDeliveryFailures
{
    private readonly ConcurrentDictionary<KafkaPartition, DeliveryFailureRun> _runs = new();

    public void Failed(KafkaPartition partition, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var now = clock.GetUtcNow();
        var text = $"{error.GetType().Name}: {error.Message}";
        _runs.AddOrUpdate(partition, _ => new DeliveryFailureRun(1, now, text), (_, run) => run with { Attempts = run.Attempts + 1, LastError = text });
    }

    public void Succeeded(KafkaPartition partition) => _runs.TryRemove(partition, out _);

    public DeliveryFailureRun? Current(KafkaPartition partition) => _runs.GetValueOrDefault(partition);
}
