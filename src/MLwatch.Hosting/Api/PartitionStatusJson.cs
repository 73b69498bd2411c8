using MLwatch.Abstractions.Wire;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Hosting.Api;

/// <summary>A Kafka partition's status as /healthz and /api/cluster show it (enum values in lowercase words).</summary>
internal static class PartitionStatusJson
{
    public static object From(KafkaPartitionStatus status) => new
    {
        name = status.Name,
        topic = status.Topic,
        partition = status.Partition,
        startOffset = status.StartOffset,
        endOffset = status.EndOffset,
        committedOffset = status.CommittedOffset,
        deliveredThrough = status.DeliveredThrough,
        handedOutThrough = status.HandedOutThrough,
        lag = status.Lag,
        bufferedRecords = status.BufferedRecords,
        bufferedBytes = status.BufferedBytes,
        inFlightRecords = status.InFlightRecords,
        inFlightBytes = status.InFlightBytes,
        lastDeliveryAt = status.LastDeliveryAt,
        deliveryFailures = status.DeliveryFailures is { } run ? new { attempts = run.Attempts, since = run.Since, lastError = run.LastError } : null,
        expiredRecords = status.ExpiredRecords,
        stalled = status.Stalled,
        stalledSince = status.StalledSince,
        waiting = WireEnums.Name(status.Waiting),
        waitingDetail = status.DescribeWaiting(),
        readError = status.ReadError,
    };
}
