namespace MLwatch.Streaming.Kafka;

/// <summary>
/// Where the silo's stream consumers report deliveries that fail and are being retried, so that a partition whose
/// records wait on a failing delivery says so (the receivers' status, /healthz, /api/cluster) instead of going quiet.
/// </summary>
public interface IDeliveryFailures
{
    /// <summary>A delivery of <paramref name="partition"/>'s records failed with <paramref name="error"/> and will be retried.</summary>
    void Failed(KafkaPartition partition, Exception error);

    /// <summary>A delivery of <paramref name="partition"/>'s records succeeded: its run of failures is over.</summary>
    void Succeeded(KafkaPartition partition);

    /// <summary>The current run of failed attempts of <paramref name="partition"/> (none when its last delivery succeeded).</summary>
    DeliveryFailureRun? Current(KafkaPartition partition);
}

/// <summary>Consecutive failed delivery attempts of one partition.</summary>
/// <param name="Attempts">Failed attempts since the last success.</param>
/// <param name="Since">When the first of them failed.</param>
/// <param name="LastError">"{exception type}: {message}" of the latest.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.delivery-failure-run")]
public sealed record DeliveryFailureRun(
    [property: Id(0)] int Attempts,
    [property: Id(1)] DateTimeOffset Since,
    [property: Id(2)] string LastError);
