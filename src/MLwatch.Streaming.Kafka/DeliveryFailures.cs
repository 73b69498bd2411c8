using System.Collections.Concurrent;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// The silo's <see cref="IDeliveryFailures"/>: one run of failures per partition, cleared by the next success. It also
/// remembers each partition's last reported success, which the receivers count as progress: Orleans reports records
/// delivered only when its queue cache purges them, in buckets, long after the consumers had them.
/// </summary>
internal sealed class DeliveryFailures(TimeProvider clock) : IDeliveryFailures
{
    private readonly ConcurrentDictionary<KafkaPartition, DeliveryFailureRun> _runs = new();
    private readonly ConcurrentDictionary<KafkaPartition, DateTimeOffset> _lastSuccess = new();

    public void Failed(KafkaPartition partition, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var now = clock.GetUtcNow();
        var text = $"{error.GetType().Name}: {error.Message}";
        _runs.AddOrUpdate(partition, _ => new DeliveryFailureRun(1, now, text), (_, run) => run with { Attempts = run.Attempts + 1, LastError = text });
    }

    public void Succeeded(KafkaPartition partition)
    {
        _runs.TryRemove(partition, out _);
        _lastSuccess[partition] = clock.GetUtcNow();
    }

    public DeliveryFailureRun? Current(KafkaPartition partition) => _runs.GetValueOrDefault(partition);

    /// <summary>When a consumer last reported a successful delivery of <paramref name="partition"/>'s records; null when none did.</summary>
    public DateTimeOffset? LastSucceeded(KafkaPartition partition) => _lastSuccess.TryGetValue(partition, out var at) ? at : null;
}
