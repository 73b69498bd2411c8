namespace MLwatch.Cli.Producing.Pacing;

/// <summary>Whether a producer waits for the consumer group (see <see cref="ConsumerLagPacer"/>).</summary>
public enum ProducePacing
{
    /// <summary>Paced on the embedded broker (librdkafka's mock cluster), not on a real Kafka.</summary>
    Auto,

    /// <summary>Always paced by the consumer group's commits.</summary>
    Lag,

    /// <summary>Never paced: only --rate limits the producer.</summary>
    Off,
}
