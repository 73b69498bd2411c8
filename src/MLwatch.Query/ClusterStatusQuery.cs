using Microsoft.Extensions.DependencyInjection;
using MLwatch.Abstractions;
using MLwatch.Streaming.Kafka;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;

namespace MLwatch.Query;

/// <summary>
/// Reads the cluster membership through the management grain, and asks every active silo which Kafka partitions it
/// receives: the management grain sends <see cref="KafkaStreamCommands.GetOwnedPartitions"/> to the requests stream
/// provider of each silo, which answers from its own receivers (so the answer is that silo's, not a cached copy).
/// </summary>
public sealed class ClusterStatusQuery(IGrainFactory grains, IServiceProvider services) : IClusterStatusSource
{
    private readonly string? _thisSilo = services.GetService<ILocalSiloDetails>()?.SiloAddress.ToString();

    // SiloControl matches the provider by its exact type; Orleans' persistent stream provider forwards the command to
    // the Kafka adapter factory.
    /// <inheritdoc />
    public async Task<IReadOnlyList<SiloSummary>> GetSilosAsync()
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: true);
        var partitions = await GetPartitionsBySiloAsync(management);
        return [.. hosts
            .OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(h =>
            {
                var address = h.SiloAddress.ToString();
                return new SiloSummary(
                    address,
                    h.SiloName,
                    h.Status.ToString(),
                    partitions.GetValueOrDefault(address, []),
                    new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)),
                    address == _thisSilo);
            })];
    }

    private static async Task<Dictionary<string, IReadOnlyList<string>>> GetPartitionsBySiloAsync(IManagementGrain management)
    {
        try
        {
            var answers = await management.SendControlCommandToProvider<PersistentStreamProvider>(StreamNames.Provider, KafkaStreamCommands.GetOwnedPartitions, null);
            return answers.OfType<SiloPartitions>().ToDictionary(a => a.Silo, a => a.Partitions, StringComparer.Ordinal);
        }
        catch (Exception exception) when (exception is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
        {
            // A silo that died but is not yet declared dead cannot answer: show the membership without partitions.
            return [];
        }
    }
}
