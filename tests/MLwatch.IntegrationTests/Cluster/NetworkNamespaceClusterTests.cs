using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MLwatch.IntegrationTests.Support;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Cluster;

/// <summary>
/// The cluster across hosts: an infrastructure host (`mlwatch broker`, redis-server, PostgreSQL) and three silo hosts,
/// each a network namespace with its own address on a private LAN (<see cref="NamespaceNetwork"/>,
/// <see cref="ClusterAcrossHosts"/>). The silos advertise and listen on their hosts' addresses, never 127.0.0.1. One
/// host dies mid-stream — its link goes down and its silo is SIGKILLed, so its address goes silent instead of refusing
/// connections — the survivors take its partitions, the host comes back, and the sum of label counts ends equal to the
/// valid records produced and the dead-letter counts to the undecodable ones, exactly. Needs root (eng/test.sh).
/// </summary>
public sealed class NetworkNamespaceClusterTests(ITestOutputHelper output)
{
    private const int Records = 3000;
    private const int RecordsPerSecond = 100;
    private const int SourceImages = 100;

    [Fact]
    public async Task Silos_on_three_hosts_lose_one_host_mid_stream_and_end_with_exact_counts_and_dead_letters()
    {
        await using var cluster = await ClusterAcrossHosts.StartAsync("netns", silos: 3);
        await cluster.WaitSettledAsync("three silos on their own hosts sharing the partitions");
        var hostAddresses = cluster.Silos.Select(s => cluster.HostOf(s).Address.ToString()).Order(StringComparer.Ordinal).ToList();
        output.WriteLine($"LAN {cluster.Network.Subnet}: {string.Join(", ", cluster.Network.Hosts)}; broker port {cluster.BrokerPort} forwarded on every host");

        // Every silo advertises its host's address: the membership table lists the three hosts, and no loopback address.
        var members = await cluster.ReadMembershipAsync();
        output.WriteLine($"membership: {string.Join(", ", members.Select(m => $"{m.Key} {m.Value}"))}");
        Assert.Equal(hostAddresses, members.Where(m => m.Value == SiloStatus.Active).Select(m => ClusterAcrossHosts.IPAddressOf(m.Key)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(members.Keys, address => ClusterAcrossHosts.IPAddressOf(address) == "127.0.0.1");

        var (source, valid, undecodable) = WriteSource(cluster.LogDirectory);
        using var producer = cluster.StartProducer(source, Records, RecordsPerSecond);
        await cluster.WaitForGrowthAsync(400, "counting on three hosts");

        var view = await cluster.TryGetClusterAsync();
        Assert.NotNull(view);
        output.WriteLine($"before the host dies: {string.Join(' ', view)}");
        var victimAddress = view.OrderByDescending(s => s.Partitions.Count).First().Address;
        var victim = cluster.Silos.Single(s => s.Address == victimAddress);

        var clock = Stopwatch.StartNew();
        cluster.KillHost(victim);
        TimeSpan? declaredDead = null;
        TimeSpan? reowned = null;
        await ClusterUnderTest.WithinAsync(TimeSpan.FromSeconds(120), $"{victimAddress} declared dead and its partitions re-owned (logs in {cluster.LogDirectory})", async () =>
        {
            declaredDead ??= (await cluster.ReadMembershipAsync()).GetValueOrDefault(victimAddress) == SiloStatus.Dead ? clock.Elapsed : null;
            reowned ??= await cluster.HasReownedAsync(victimAddress) ? clock.Elapsed : null;
            return declaredDead is not null && reowned is not null;
        });
        await cluster.WaitForGrowthAsync(1, "counts growing on the survivors", await cluster.TryGetTotalAsync() ?? 0);
        var flowing = clock.Elapsed;
        output.WriteLine(
            $"host {cluster.HostOf(victim)} died: declared dead after {declaredDead!.Value.TotalSeconds:F1} s, its partitions owned by the survivors after " +
            $"{reowned!.Value.TotalSeconds:F1} s, counts growing again after {flowing.TotalSeconds:F1} s; {string.Join(' ', await cluster.TryGetClusterAsync() ?? [])}");

        // The dead host's address is silent, not refusing: what peers of a machine that lost power see.
        Assert.Equal("silence", await KnockAsync(cluster.HostOf(victim).Address, victim.SiloPort));

        await cluster.RestartHostAsync(victim);
        await cluster.WaitSettledAsync("the host back, its new silo generation sharing the partitions");
        output.WriteLine($"host back as {victim.Address}: {string.Join(' ', await cluster.TryGetClusterAsync() ?? [])}");

        Assert.True(await producer.WaitForExitAsync(TimeSpan.FromMinutes(5)), $"mlwatch produce did not finish; see {producer.LogPath}");
        Assert.True(producer.ExitCode == 0, $"mlwatch produce exited with {producer.ExitCode}; see {producer.LogPath}");
        await producer.WaitForLineAsync($"Produced {Records} records", TimeSpan.FromSeconds(5));

        var total = await cluster.WaitForFinalTotalAsync(valid);
        var deadLetters = await Eventually.ReachAsync(
            async () => await cluster.TryGetDeadLettersAsync() is { } counts ? counts : new Dictionary<string, long>(),
            counts => counts.Values.Sum() >= undecodable,
            $"dead letters reaching {undecodable}",
            TimeSpan.FromSeconds(60));
        output.WriteLine(
            $"produced {Records} records ({valid} valid, {undecodable} undecodable) at {RecordsPerSecond}/s; counted {total}; " +
            $"dead letters {string.Join(", ", deadLetters.Select(d => $"{d.Key} {d.Value}"))} (logs in {cluster.LogDirectory})");
        Assert.Equal(valid, total);
        Assert.Equal(new Dictionary<string, long> { ["undecodable"] = undecodable }, deadLetters);

        // The dead generation stays in the table as Dead; the three hosts are active again, still on their own addresses.
        members = await cluster.ReadMembershipAsync();
        output.WriteLine($"membership at the end: {string.Join(", ", members.Select(m => $"{m.Key} {m.Value}"))}");
        Assert.Equal(SiloStatus.Dead, members[victimAddress]);
        Assert.Equal(hostAddresses, members.Where(m => m.Value == SiloStatus.Active).Select(m => ClusterAcrossHosts.IPAddressOf(m.Key)).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// An image directory for `mlwatch produce --source`: <see cref="SourceImages"/> Fashion-MNIST PNGs of which every
    /// 25th is text instead (undecodable); returns how many of the <see cref="Records"/> produced are valid and not.
    /// </summary>
    private static (string Directory, long Valid, long Undecodable) WriteSource(string logDirectory)
    {
        var directory = Path.Combine(logDirectory, "images");
        Directory.CreateDirectory(directory);
        var set = FashionMnistImages.TestSet;
        for (var i = 0; i < SourceImages; i++)
        {
            File.WriteAllBytes(Path.Combine(directory, $"{i:D4}.png"), IsUndecodable(i) ? Encoding.UTF8.GetBytes("not an image") : set.EncodePng(i));
        }

        // The producer cycles through the files in name order.
        var undecodable = Enumerable.Range(0, Records).LongCount(n => IsUndecodable(n % SourceImages));
        return (directory, Records - undecodable, undecodable);
    }

    private static bool IsUndecodable(int image) => image % 25 == 24;

    /// <summary>What a TCP connection to <paramref name="address"/>:<paramref name="port"/> gets within 5 s: "connected", "refused" or "silence" (no answer; or no host answers ARP, "unreachable").</summary>
    private static async Task<string> KnockAsync(IPAddress address, int port)
    {
        using var client = new TcpClient();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.ConnectAsync(address, port, patience.Token);
            return "connected";
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return "refused";
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.TimedOut })
        {
            return "silence";
        }
    }
}
