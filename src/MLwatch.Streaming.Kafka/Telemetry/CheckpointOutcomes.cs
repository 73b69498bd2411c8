namespace MLwatch.Streaming.Kafka.Telemetry;

/// <summary>How a checkpoint ended, as the <see cref="KafkaMetrics.Outcome"/> attribute says it.</summary>
internal static class CheckpointOutcomes
{
    /// <summary>The delivered offsets were flushed and committed.</summary>
    public const string Committed = "committed";

    /// <summary>Effects were lost with a grain activation: the partition rewinds to its last commit.</summary>
    public const string Rewound = "rewound";

    /// <summary>The flush or the commit failed.</summary>
    public const string Failed = "failed";
}
