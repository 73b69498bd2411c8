namespace MLwatch.Streaming.Kafka;

/// <summary>Where the oldest records of a partition that are not yet delivered wait.</summary>
public enum KafkaBacklogStage
{
    /// <summary>Nothing waits: every record in Kafka was delivered.</summary>
    None,

    /// <summary>In Kafka: the receiver has not fetched them (its consumer cannot read, or is still catching up).</summary>
    NotFetched,

    /// <summary>In the receive buffer: fetched, but the pulling agent is not taking them.</summary>
    ReceiveBuffer,

    /// <summary>Handed to the pulling agent, not yet delivered to every consumer.</summary>
    HandedOut,

    /// <summary>Handed out, and the consumers' deliveries of them fail (see <see cref="KafkaPartitionStatus.DeliveryFailures"/>).</summary>
    DeliveryFailing,
}
