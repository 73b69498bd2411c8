using MLwatch.Abstractions;
using MLwatch.Abstractions.Wire;
using MLwatch.Streaming.Kafka;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>How long the silos get to say which partitions they receive: a hung silo must not hold up the answer.</summary>
    private static readonly TimeSpan PartitionsTimeout = TimeSpan.FromSeconds(3);

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
                var answer = partitions?.GetValueOrDefault(address);
                return new SiloSummary(
                    address,
                    h.SiloName,
                    WireEnums.Name(h.Status),
                    answer?.Partitions ?? [],
                    new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)),
                    address == _thisSilo,
                    answer?.Statuses ?? [],
                    PartitionsKnown: answer is not null);
            })];
    }

    /// <summary>Every silo's answer by address; null when they did not all answer in time.</summary>
    private static async Task<Dictionary<string, SiloPartitions>?> GetPartitionsBySiloAsync(IManagementGrain management)
    {
        try
        {
            var answers = await management
                .SendControlCommandToProvider<PersistentStreamProvider>(StreamNames.Provider, KafkaStreamCommands.GetOwnedPartitions, null)
                .WaitAsync(PartitionsTimeout);
            return answers.OfType<SiloPartitions>().ToDictionary(a => a.Silo, StringComparer.Ordinal);
        }
        catch (Exception exception) when (TransientClusterErrors.IsTransient(exception) || exception is TimeoutException)
        {
            // A silo that died or hangs but is not yet declared dead cannot answer: show the membership, partitions unknown.
            return null;
        }
    }
}
