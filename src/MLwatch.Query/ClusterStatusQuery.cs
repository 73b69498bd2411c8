using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka;
using Orleans.Runtime;

namespace MLwatch.Query;

/// <summary>Reads the cluster membership through the management grain, and asks every silo which Kafka partitions it consumes.</summary>
public sealed partial class ClusterStatusQuery(IGrainFactory grains, ILogger<ClusterStatusQuery> logger) : IClusterStatusSource
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<SiloSummary>> GetSilosAsync()
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: true);
        var partitions = await GetPartitionsAsync(management);
        return [.. hosts
            .OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(h => new SiloSummary(
                h.SiloAddress.ToString(),
                h.SiloName,
                h.Status.ToString(),
                partitions.TryGetValue(h.SiloAddress.ToString(), out var owned) ? owned : []))];
    }

    private async Task<Dictionary<string, string[]>> GetPartitionsAsync(IManagementGrain management)
    {
        try
        {
            var reports = await management.SendControlCommandToProvider<KafkaPartitionOwnership>(
                KafkaPartitionOwnership.ControlName, KafkaPartitionOwnership.ListCommand, null);
            return reports.OfType<KafkaPartitionReport>().ToDictionary(r => r.Silo, r => r.Partitions, StringComparer.Ordinal);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Best effort: a silo without the Kafka provider (or one shutting down) leaves the partitions unknown, not the page broken.
            LogPartitionsUnknown(exception.Message);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka partition ownership could not be read: {Reason}")]
    private partial void LogPartitionsUnknown(string reason);
}
