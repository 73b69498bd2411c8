using System.Text.Json;
using Orleans.Runtime;
using StackExchange.Redis;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// The Orleans membership table as Orleans' Redis clustering keeps it: hash "{serviceId}/members/{clusterId}", one JSON
/// row per silo generation, keyed by the silo address ("S10.1.2.3:11111:123456789").
/// </summary>
internal static class RedisMembershipTable
{
    /// <summary>Each silo address with its status and its suspicion votes.</summary>
    public static async Task<IReadOnlyDictionary<string, (SiloStatus Status, int Votes)>> ReadAsync(IConnectionMultiplexer redis, string serviceId, string clusterId)
    {
        var rows = await redis.GetDatabase().HashGetAllAsync($"{serviceId}/members/{clusterId}");
        var members = new Dictionary<string, (SiloStatus, int)>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Name != "Version"))
        {
            using var entry = JsonDocument.Parse(row.Value.ToString());
            var status = entry.RootElement.GetProperty("Status");
            var votes = entry.RootElement.TryGetProperty("SuspectTimes", out var suspects) && suspects.ValueKind == JsonValueKind.Array ? suspects.GetArrayLength() : 0;
            members[row.Name.ToString()] = (status.ValueKind == JsonValueKind.Number ? (SiloStatus)status.GetInt32() : Enum.Parse<SiloStatus>(status.GetString()!), votes);
        }

        return members;
    }
}
