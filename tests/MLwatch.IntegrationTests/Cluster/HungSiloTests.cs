using System.Diagnostics;
using System.Globalization;
using MLwatch.IntegrationTests.Support;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Cluster;

/// <summary>
/// Silos that hang instead of dying (SIGSTOP: sockets open, no answers), in a Redis-clustered deployment of real
/// processes: a frozen silo must be declared dead and its partitions must flow on the others within 20 s (issue 8),
/// a silo paused for a few seconds must keep its membership, and the counts must stay exact either way.
/// </summary>
public sealed class HungSiloTests(ITestOutputHelper output)
{
    private const int Rate = 150;

    /// <summary>The bound issue 8 sets from the freeze until the frozen silo's partitions deliver on the others.</summary>
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_frozen_silo_is_declared_dead_and_its_partitions_flow_on_the_others_within_20_s(int silos)
    {
        await using var cluster = await ClusterUnderTest.StartAsync($"freeze-{silos}", silos);
        await cluster.WaitSettledAsync($"{silos} silos sharing the partitions");
        cluster.StartProducing(Rate);
        await cluster.WaitForGrowthAsync(300, "counting");

        // The ring may leave a silo without partitions: freeze the one that has the most.
        var owner = (await cluster.TryGetClusterAsync())!.OrderByDescending(s => s.Partitions.Count).First();
        var victim = cluster.Silos.Single(s => s.Address == owner.Address);
        var victimAddress = victim.Address!;
        var partitions = owner.Partitions.Select(p => int.Parse(p.Split('/')[1], CultureInfo.InvariantCulture)).ToList();
        var survivors = cluster.Silos.Where(s => s != victim).ToList();
        await using var reader = LabelsReader.Start(survivors);

        var clock = Stopwatch.StartNew();
        victim.Freeze();
        // A commit the victim sent just before it froze may still land; no survivor can take over in the first second
        // (votes need 9 s of silence), so offsets read after it are the victim's last.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var committedAtFreeze = cluster.GetCommittedOffsets(partitions);

        TimeSpan? declaredDead = null, unlisted = null, flowing = null;
        await ClusterUnderTest.WithinAsync(TimeSpan.FromSeconds(90), $"{victim.Name} declared dead and its partitions {string.Join(',', partitions)} committed on the others (logs in {cluster.LogDirectory})", async () =>
        {
            declaredDead ??= (await cluster.ReadMembershipAsync()).GetValueOrDefault(victimAddress).Status == SiloStatus.Dead ? clock.Elapsed : null;
            unlisted ??= await cluster.HasReownedAsync(victimAddress) ? clock.Elapsed : null;
            flowing ??= cluster.GetCommittedOffsets(partitions).All(c => c.Value > committedAtFreeze[c.Key]) ? clock.Elapsed : null;
            return declaredDead is not null && unlisted is not null && flowing is not null;
        });
        output.WriteLine(
            $"froze {victim.Name} of {silos} (partitions {string.Join(',', partitions)}): Dead in the membership table after {declaredDead!.Value.TotalSeconds:F1} s, " +
            $"gone from a survivor's /api/cluster with every partition re-owned after {unlisted!.Value.TotalSeconds:F1} s, " +
            $"its partitions committed past {string.Join(',', committedAtFreeze.Values.Select(o => o < 0 ? "none" : o.ToString(CultureInfo.InvariantCulture)))} on the others after {flowing!.Value.TotalSeconds:F1} s");
        Assert.True(unlisted <= TakeoverBound && flowing <= TakeoverBound, $"the frozen silo's partitions flowed on the others only after {Math.Max(unlisted.Value.TotalSeconds, flowing.Value.TotalSeconds):F1} s (issue 8 asks for at most {TakeoverBound.TotalSeconds:F0} s; logs in {cluster.LogDirectory})");

        // Thawed, it reads that it was declared dead and stops; if it lingers it is killed. Either way it restarts as a
        // new generation and the counts end exact.
        var thawed = Stopwatch.StartNew();
        victim.Thaw(isUp: false);
        if (await victim.WaitForExitAsync(TimeSpan.FromSeconds(60)))
        {
            output.WriteLine($"thawed {victim.Name}: it found itself dead and exited (code {victim.ExitCode}) after {thawed.Elapsed.TotalSeconds:F1} s");
        }
        else
        {
            output.WriteLine($"thawed {victim.Name}: still running after {thawed.Elapsed.TotalSeconds:F0} s; killed");
            victim.Kill();
        }

        await victim.StartAsync();
        await cluster.WaitSettledAsync("the restarted silo taking its share back");
        await cluster.WaitForGrowthAsync(300, "counting after the restart");

        var reads = await reader.StopAsync();
        output.WriteLine($"reads on the survivors during the freeze: {reads}");
        reads.AssertOnlyOkOrRetryable();
        await AssertExactAsync(cluster);
    }

    [Fact]
    public async Task A_silo_paused_for_5_s_keeps_its_membership_and_the_counts_stay_exact()
    {
        // Two silos: a single vote declares a silo dead there, so a false suspicion would show at once.
        await using var cluster = await ClusterUnderTest.StartAsync("pause", silos: 2);
        await cluster.WaitSettledAsync("two silos sharing the partitions");
        cluster.StartProducing(Rate);
        await cluster.WaitForGrowthAsync(300, "counting");

        var victim = cluster.Silos[1];
        var address = victim.Address!;
        var seen = new List<(TimeSpan At, SiloStatus Status, int Votes)>();
        var clock = Stopwatch.StartNew();
        using var watching = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var row = (await cluster.ReadMembershipAsync()).GetValueOrDefault(address);
                lock (seen)
                {
                    seen.Add((clock.Elapsed, row.Status, row.Votes));
                }

                await Task.Delay(200, CancellationToken.None);
            }
        });

        // The pause is the fault itself (a long GC, seconds of busy CPU): longer than a probe period (1–3 s), so probes
        // to it go unanswered, but well under the 9 s of silence before a vote counts.
        var paused = Stopwatch.StartNew();
        victim.Freeze();
        await Task.Delay(TimeSpan.FromSeconds(5));
        victim.Thaw(isUp: true);
        output.WriteLine($"paused {victim.Name} for {paused.Elapsed.TotalSeconds:F1} s");

        // Watch well past the time a frozen silo is declared dead (9–12 s), then check every row read.
        await Task.Delay(TimeSpan.FromSeconds(25));
        await watching.CancelAsync();
        await watch;
        var notActive = seen.Where(s => s.Status != SiloStatus.Active).ToList();
        output.WriteLine($"{seen.Count} reads of its membership row over {clock.Elapsed.TotalSeconds:F0} s: most suspicion votes {seen.Max(s => s.Votes)}, not Active {notActive.Count} times");
        Assert.True(notActive.Count == 0, $"the paused silo's row left Active: {string.Join(", ", notActive.Take(5).Select(s => $"{s.Status} at {s.At.TotalSeconds:F1} s"))} (logs in {cluster.LogDirectory})");

        await cluster.WaitSettledAsync("both silos still sharing the partitions");
        await cluster.WaitForGrowthAsync(300, "counting after the pause");
        await AssertExactAsync(cluster);
    }

    private async Task AssertExactAsync(ClusterUnderTest cluster)
    {
        var produced = await cluster.StopProducingAsync();
        var total = await cluster.WaitForFinalTotalAsync(produced);
        output.WriteLine($"produced {produced} valid + {cluster.InvalidProduced} undecodable records; counted {total} (logs in {cluster.LogDirectory})");
        Assert.Equal(produced, total);
    }
}
