using System.Diagnostics;
using System.Globalization;
using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Cluster;

/// <summary>
/// Several silo processes in one Redis-clustered deployment, with the broker, Redis and PostgreSQL in their own
/// processes: silos join, stop and are SIGKILLed mid-stream, and the sum of label counts must still equal the number of
/// valid records produced, exactly (0 lost, 0 counted twice). Frozen silos: <see cref="HungSiloTests"/>.
/// </summary>
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    private const int Rate = 150;

    [Fact]
    public async Task A_silo_joining_mid_stream_takes_over_partitions_and_counts_stay_exact()
    {
        await using var cluster = await ClusterUnderTest.StartAsync("join", silos: 1);
        await cluster.WaitSettledAsync("one silo owning every partition");
        cluster.StartProducing(Rate);
        await cluster.WaitForGrowthAsync(300, "first silo counting");

        var joining = await cluster.AddSiloAsync();
        var view = await Eventually.ReachAsync(
            async () => await cluster.TryGetClusterAsync() is { } v && v.Any(s => s.Port == joining.SiloPort && s.Partitions.Count > 0) ? string.Join(' ', v) : "",
            v => v.Length > 0,
            "the joining silo owning partitions");
        output.WriteLine($"after the join: {view}");
        await cluster.WaitSettledAsync("two silos sharing the partitions");
        await cluster.WaitForGrowthAsync(300, "counting after the join");

        await AssertExactAsync(cluster);
    }

    [Fact]
    public async Task A_silo_killed_mid_stream_and_restarted_loses_and_doubles_nothing()
    {
        await using var cluster = await ClusterUnderTest.StartAsync("kill-one", silos: 2);
        await cluster.WaitSettledAsync("two silos sharing the partitions");
        cluster.StartProducing(Rate);
        await cluster.WaitForGrowthAsync(300, "counting");

        var victim = cluster.Silos[1];
        await using var reader = LabelsReader.Start(cluster.Silos.Where(s => s != victim));
        var recovery = await KillAndMeasureAsync(cluster, victim);
        output.WriteLine($"killed {victim.Name}: stream flowing again after {recovery.TotalSeconds:F1} s");

        await victim.StartAsync();
        await cluster.WaitSettledAsync("the restarted silo taking its share back");
        await cluster.WaitForGrowthAsync(300, "counting after the restart");

        // While the silo died, was replaced and came back, reads on the survivor answered 200 or 503 with Retry-After.
        var reads = await reader.StopAsync();
        output.WriteLine($"reads on the survivor during the kill: {reads}");
        reads.AssertOnlyOkOrRetryable();

        await AssertExactAsync(cluster);
    }

    [Fact]
    public async Task Two_silos_killed_in_a_row_leave_the_last_one_with_every_partition_and_exact_counts()
    {
        await using var cluster = await ClusterUnderTest.StartAsync("kill-two", silos: 3);
        await cluster.WaitSettledAsync("three silos sharing the partitions");
        cluster.StartProducing(Rate);
        await cluster.WaitForGrowthAsync(300, "counting");

        foreach (var victim in cluster.Silos.Skip(1))
        {
            var recovery = await KillAndMeasureAsync(cluster, victim);
            output.WriteLine($"killed {victim.Name}: stream flowing again after {recovery.TotalSeconds:F1} s");
        }

        var survivor = await cluster.TryGetClusterAsync();
        Assert.NotNull(survivor);
        Assert.Equal(4, Assert.Single(survivor).Partitions.Count);

        await AssertExactAsync(cluster);
    }

    [Fact]
    public async Task Torture_random_kills_and_restarts_for_a_minute_end_with_exact_counts()
    {
        var random = new Random(Environment.GetEnvironmentVariable("MLWATCH_TORTURE_SEED") is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : Environment.TickCount);
        await using var cluster = await ClusterUnderTest.StartAsync("torture", silos: 3);
        await cluster.WaitSettledAsync("three silos sharing the partitions");
        cluster.StartProducing(Rate);
        await cluster.WaitForGrowthAsync(200, "counting");

        // Kill a random silo that is up at a random moment, measure until the stream flows again, and restart it in the
        // background, so the next kill may hit while it is still joining. At least one silo is always up.
        var recoveries = new List<double>();
        var restarts = new Dictionary<ClusterSilo, Task>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(75))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 4000)));
            var up = cluster.Silos.Where(s => s.IsUp).ToList();
            if (up.Count < 2)
            {
                continue;
            }

            var victim = up[random.Next(up.Count)];
            var recovery = await KillAndMeasureAsync(cluster, victim);
            recoveries.Add(recovery.TotalSeconds);
            output.WriteLine($"{clock.Elapsed.TotalSeconds,5:F0} s: killed {victim.Name} ({up.Count} up), stream flowing again after {recovery.TotalSeconds:F1} s");
            restarts[victim] = victim.StartAsync();
        }

        await Task.WhenAll(restarts.Values);
        await cluster.WaitSettledAsync("all silos back");
        output.WriteLine(
            $"torture: {recoveries.Count} kills survived; time from kill to partitions re-owned and counts growing: " +
            $"min {recoveries.Min():F1} s, median {recoveries.Order().ElementAt(recoveries.Count / 2):F1} s, max {recoveries.Max():F1} s " +
            $"({string.Join(", ", recoveries.Select(r => r.ToString("F1", CultureInfo.InvariantCulture)))})");
        await AssertExactAsync(cluster);
    }

    /// <summary>SIGKILLs <paramref name="victim"/>; returns the time until the survivors own every partition and counts grow again.</summary>
    private static async Task<TimeSpan> KillAndMeasureAsync(ClusterUnderTest cluster, ClusterSilo victim)
    {
        var killed = victim.Address!;
        var clock = Stopwatch.StartNew();
        victim.Kill();
        await ClusterUnderTest.WithinAsync(TimeSpan.FromSeconds(90), $"partitions re-owned after killing {victim.Name} (logs in {cluster.LogDirectory})", () => cluster.HasReownedAsync(killed));
        var before = await cluster.TryGetTotalAsync() ?? 0;
        await cluster.WaitForGrowthAsync(1, $"counts growing after killing {victim.Name}", before);
        return clock.Elapsed;
    }

    private async Task AssertExactAsync(ClusterUnderTest cluster)
    {
        var produced = await cluster.StopProducingAsync();
        var total = await cluster.WaitForFinalTotalAsync(produced);
        output.WriteLine($"produced {produced} valid + {cluster.InvalidProduced} undecodable records; counted {total} (logs in {cluster.LogDirectory})");
        Assert.Equal(produced, total);
    }
}
