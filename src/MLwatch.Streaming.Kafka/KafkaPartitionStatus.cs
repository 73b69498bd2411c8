namespace MLwatch.Streaming.Kafka;

/// <summary>
/// How one partition received by this silo is doing: where Kafka is, what was delivered and committed, where the rest
/// waits, and whether it is stalled. Offsets follow Kafka's conventions; -1 means "none" or "not known yet".
/// </summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition number.</param>
/// <param name="StartOffset">The oldest offset Kafka still keeps (low watermark; retention or the embedded broker's size limit move it).</param>
/// <param name="EndOffset">The offset the next record produced will get (high watermark), refreshed about every second.</param>
/// <param name="CommittedOffset">The consumer group's committed offset: where reading resumes after a restart.</param>
/// <param name="DeliveredThrough">The highest offset through which every record was delivered to all consumers (since the last rewind).</param>
/// <param name="HandedOutThrough">The highest offset handed to the pulling agent (since the last rewind).</param>
/// <param name="Lag">Records in Kafka not yet delivered: <paramref name="EndOffset"/> minus the next offset to deliver.</param>
/// <param name="BufferedRecords">Records fetched and waiting in the receive buffer.</param>
/// <param name="BufferedBytes">Their estimated size.</param>
/// <param name="InFlightRecords">Records handed to the pulling agent and not yet delivered.</param>
/// <param name="InFlightBytes">Their estimated size.</param>
/// <param name="LastDeliveryAt">When records of this partition were last delivered; null when none were since the receiver started.</param>
/// <param name="DeliveryFailures">The current run of failed delivery attempts reported by the consumers; null when the last one succeeded.</param>
/// <param name="ExpiredRecords">Records found deleted before they were read (reported as <c>records-expired</c>), since the receiver started.</param>
/// <param name="Stalled">Records wait (lag or buffered or in flight) and none was delivered for <c>KafkaStreamOptions.StallAfter</c>.</param>
/// <param name="StalledSince">When it became stalled; null when it is not.</param>
/// <param name="Waiting">Where the oldest undelivered records wait.</param>
/// <param name="ReadError">The latest failure reading Kafka ("{type}: {message}"), null while reading works.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.kafka-partition-status")]
public sealed record KafkaPartitionStatus(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long StartOffset,
    [property: Id(3)] long EndOffset,
    [property: Id(4)] long CommittedOffset,
    [property: Id(5)] long DeliveredThrough,
    [property: Id(6)] long HandedOutThrough,
    [property: Id(7)] long Lag,
    [property: Id(8)] int BufferedRecords,
    [property: Id(9)] long BufferedBytes,
    [property: Id(10)] int InFlightRecords,
    [property: Id(11)] long InFlightBytes,
    [property: Id(12)] DateTimeOffset? LastDeliveryAt,
    [property: Id(13)] DeliveryFailureRun? DeliveryFailures,
    [property: Id(14)] long ExpiredRecords,
    [property: Id(15)] bool Stalled,
    [property: Id(16)] DateTimeOffset? StalledSince,
    [property: Id(17)] KafkaBacklogStage Waiting,
    [property: Id(18)] string? ReadError)
{
    /// <summary>"{topic}/{partition}".</summary>
    public string Name => $"{Topic}/{Partition}";

    /// <summary>Where the waiting records are, in words an operator can act on.</summary>
    public string DescribeWaiting() => Waiting switch
    {
        KafkaBacklogStage.None => "nothing waits",
        KafkaBacklogStage.NotFetched => ReadError is null
            ? $"{Lag} records not fetched from Kafka yet"
            : $"{Lag} records not fetched from Kafka: reading fails with {ReadError}",
        KafkaBacklogStage.ReceiveBuffer => $"{BufferedRecords} records ({BufferedBytes} bytes) in the receive buffer, not taken by the pulling agent",
        KafkaBacklogStage.HandedOut => $"{InFlightRecords} records ({InFlightBytes} bytes) handed to the pulling agent but not delivered",
        KafkaBacklogStage.DeliveryFailing => $"{InFlightRecords} records handed out whose delivery failed {DeliveryFailures?.Attempts} times in a row (last: {DeliveryFailures?.LastError})",
        _ => Waiting.ToString(),
    };
}
