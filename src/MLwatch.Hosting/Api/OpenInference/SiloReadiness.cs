using MLwatch.Inference.Models;
using MLwatch.Storage.PostgreSql;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Hosting.Api.OpenInference;

/// <summary>
/// Whether this silo can answer infer calls now (/v2/health/ready): it is an active member of the cluster, serves at
/// least one validated model, and what /healthz reports would not hold records back (storage degraded, a partition stalled).
/// </summary>
public sealed class SiloReadiness(IClusterMembershipService membership, ILocalSiloDetails silo, ModelCatalog catalog, StorageHealth storage, KafkaPartitionOwnership partitions)
{
    /// <summary>Null when ready; else why not, in words.</summary>
    public string? NotReadyBecause()
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return $"The silo is {status.ToString().ToLowerInvariant()} in the cluster, not active.";
        }

        if (catalog.All.Count == 0)
        {
            return "The silo serves no validated model yet.";
        }

        if (storage.GetSnapshot().Status != StorageHealthSnapshot.Ok)
        {
            return "Grain storage is degraded: records wait until it recovers (see /healthz).";
        }

        var stalled = partitions.Statuses().Where(p => p.Stalled).Select(p => p.Name).ToArray();
        return stalled.Length > 0 ? $"Partition(s) {string.Join(", ", stalled)} are stalled (see /healthz)." : null;
    }
}
