using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.Cluster;

/// <summary>GET /api/cluster on a single localhost-clustered silo: itself, active, owning every partition.</summary>
public sealed class ClusterApiTests : SiloOnTestBroker
{
    [Fact]
    public async Task A_lone_silo_lists_itself_with_every_partition_of_the_requests_topic()
    {
        var silos = await Eventually.ReachAsync(
            async () => (await Silo.GetJsonAsync("api/cluster")).GetProperty("silos").EnumerateArray().ToList(),
            s => s.Count == 1 && s[0].GetProperty("partitions").EnumerateArray().Count(p => p.GetString()!.StartsWith("mlwatch.requests/", StringComparison.Ordinal)) == 4,
            "the silo owning all four partitions");

        var silo = Assert.Single(silos);
        Assert.Equal("active", silo.GetProperty("status").GetString());
        Assert.True(silo.GetProperty("isThisSilo").GetBoolean());
        Assert.True(silo.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.StartsWith("S127.0.0.1:", silo.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            ["mlwatch.requests/0", "mlwatch.requests/1", "mlwatch.requests/2", "mlwatch.requests/3"],
            silo.GetProperty("partitions").EnumerateArray().Select(p => p.GetString()!).Where(p => p.StartsWith("mlwatch.requests/", StringComparison.Ordinal)));
    }
}
