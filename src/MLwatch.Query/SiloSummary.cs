using MLwatch.Streaming.Kafka;

namespace MLwatch.Query;

/// <summary>One silo of the cluster as the membership table sees it, with the Kafka partitions it consumes.</summary>
/// <param name="Address">The silo address (endpoint and generation).</param>
/// <param name="Name">The silo name.</param>
/// <param name="Status">Membership status, e.g. Active.</param>
/// <param name="Partitions">"{topic}/{partition}" consumed by this silo's pulling agents, in order; empty when unknown.</param>
/// <param name="StartedAt">When the silo started, as it registered in the membership table; null when unknown.</param>
/// <param name="IsThisSilo">Whether this is the silo answering the query (always false in a client such as a lone dashboard).</param>
/// <param name="PartitionStatus">Each received partition's status (offsets, lag, last delivery, stalled), as the silo itself reports it; empty when unknown.</param>
/// <param name="PartitionsKnown">False when the silo did not answer in time (it is dying or hung): its partitions are unknown, not none.</param>
public sealed record SiloSummary(
    string Address,
    string Name,
    string Status,
    IReadOnlyList<string> Partitions,
    DateTimeOffset? StartedAt = null,
    bool IsThisSilo = false,
    IReadOnlyList<KafkaPartitionStatus>? PartitionStatus = null,
    bool PartitionsKnown = true)
{
    /// <summary>Each received partition's status; empty when unknown.</summary>
    public IReadOnlyList<KafkaPartitionStatus> PartitionStatus { get; init; } = PartitionStatus ?? [];
}
