using Orleans.Runtime;

namespace MLwatch.Query;

/// <summary>Reads the cluster membership through the management grain.</summary>
public sealed class ClusterStatusQuery(IGrainFactory grains) : IClusterStatusSource
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<SiloSummary>> GetSilosAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        return [.. hosts
            .OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(h => new SiloSummary(h.SiloAddress.ToString(), h.SiloName, h.Status.ToString(), []))];
    }
}
