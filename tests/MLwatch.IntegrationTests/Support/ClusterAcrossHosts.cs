using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orleans.Runtime;
using StackExchange.Redis;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// A multi-silo deployment across hosts of a <see cref="NamespaceNetwork"/>: an infrastructure host runs `mlwatch
/// broker`, redis-server (membership) and a PostgreSQL of its own (storage), each on the host's address; every silo host
/// runs one `mlwatch silo --config silo-config/cluster.json` advertising and listening on its own address.
/// </summary>
/// <remarks>
/// The embedded broker (librdkafka's mock cluster) listens on 127.0.0.1 of its host only and tells clients, in its
/// metadata, to connect to 127.0.0.1:&lt;its port&gt;. Rather than teach it another address, the test keeps that
/// address true on every host, as an operator would with socat: on the infrastructure host a forwarder listens on the
/// host's LAN address at the broker's port and relays to 127.0.0.1; on each silo host a forwarder listens on
/// 127.0.0.1 at the same port and relays to the infrastructure host. A silo bootstraps from 127.0.0.1:&lt;port&gt; and
/// every address the broker hands out leads back to it. Producers run on the infrastructure host (`mlwatch produce`),
/// where that address is the broker itself. Disposing kills every process and removes the hosts.
/// </remarks>
internal sealed partial class ClusterAcrossHosts : IAsyncDisposable
{
    /// <summary>Partitions of the requests topic: as the loopback fault tests, few enough for a loaded 2-core machine.</summary>
    public const int Partitions = 4;

    private const string InfraHost = "infra";
    private readonly NamespaceNetwork _network;
    private readonly List<(NamespaceHost Host, ClusterSilo Silo)> _silos = [];
    private readonly Dictionary<string, string> _environment = [];
    private readonly List<ChildProcess> _infrastructure = [];
    private readonly string _redisPassword = Guid.NewGuid().ToString("N");
    private NamespacePostgres? _postgres;
    private ConnectionMultiplexer? _membership;

    private ClusterAcrossHosts(NamespaceNetwork network)
    {
        _network = network;
    }

    /// <summary>Where every process writes its log.</summary>
    public string LogDirectory => _network.LogDirectory;

    /// <summary>The LAN the hosts are on.</summary>
    public NamespaceNetwork Network => _network;

    /// <summary>The infrastructure host (broker, Redis, PostgreSQL, producers).</summary>
    public NamespaceHost Infrastructure => _network[InfraHost];

    /// <summary>The embedded broker's port: 127.0.0.1 at this port reaches the broker on every host.</summary>
    public int BrokerPort { get; private set; }

    /// <summary>The silos' Kafka consumer group.</summary>
    public string ConsumerGroup { get; private set; } = "";

    public IReadOnlyList<ClusterSilo> Silos => [.. _silos.Select(s => s.Silo)];

    private string RedisConnectionString => $"{Infrastructure.Address}:6379,password={_redisPassword}";

    /// <summary>Builds the hosts, starts the infrastructure and <paramref name="silos"/> silos (one after another).</summary>
    public static async Task<ClusterAcrossHosts> StartAsync(string testName, int silos)
    {
        var logDirectory = Path.Combine(Path.GetTempPath(), "mlwatch-cluster-tests", $"{DateTime.UtcNow:HHmmss}-{testName}-{Environment.ProcessId}");
        Directory.CreateDirectory(logDirectory);
        var network = NamespaceNetwork.Create([InfraHost, .. Enumerable.Range(1, silos).Select(i => $"s{i}")], logDirectory);
        var cluster = new ClusterAcrossHosts(network);
        try
        {
            await cluster.StartInfrastructureAsync();
            foreach (var host in network.Hosts.Where(h => h.Name != InfraHost))
            {
                await host.StartForwarderAsync(IPAddress.Loopback, cluster.BrokerPort, cluster.Infrastructure.Address);
                var silo = new ClusterSilo(host.Name, cluster._environment, logDirectory, host);
                cluster._silos.Add((host, silo));
                await silo.StartAsync();
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>The host <paramref name="silo"/> runs on.</summary>
    public NamespaceHost HostOf(ClusterSilo silo) => _silos.Single(s => s.Silo == silo).Host;

    /// <summary>
    /// A host dies: its link goes down first (so not even a connection reset leaves it), then its silo is SIGKILLed.
    /// The others find its address unreachable, not refusing.
    /// </summary>
    public void KillHost(ClusterSilo silo)
    {
        HostOf(silo).Disconnect();
        silo.Kill();
    }

    /// <summary>The host is back: its link comes up and its silo starts again on the same address (a new generation).</summary>
    public async Task RestartHostAsync(ClusterSilo silo)
    {
        HostOf(silo).Reconnect();
        await silo.StartAsync();
    }

    /// <summary>
    /// Starts `mlwatch produce` on the infrastructure host: <paramref name="count"/> records from the image directory
    /// <paramref name="source"/> (cycled) at <paramref name="rate"/> records/s. It exits 0 once Kafka acknowledged all.
    /// </summary>
    public ChildProcess StartProducer(string source, int count, int rate) =>
        Infrastructure.StartMlwatch(
            ["produce", "--bootstrap", $"127.0.0.1:{BrokerPort}", "--source", source, "--count", count.ToString(CultureInfo.InvariantCulture),
             "--rate", rate.ToString(CultureInfo.InvariantCulture), "--group", ConsumerGroup],
            "produce.log");

    /// <summary>The sum of label counts as any running silo answers it, or null when none can answer now.</summary>
    public async Task<long?> TryGetTotalAsync()
    {
        foreach (var silo in Silos.Where(s => s.IsUp))
        {
            if (await silo.TryGetTotalAsync() is { } total)
            {
                return total;
            }
        }

        return null;
    }

    /// <summary>GET /api/deadletters (dead-lettered records by reason) as the first running silo that answers sees it.</summary>
    public async Task<IReadOnlyDictionary<string, long>?> TryGetDeadLettersAsync()
    {
        foreach (var silo in Silos.Where(s => s.IsUp))
        {
            try
            {
                var counts = await silo.Api.GetFromJsonAsync<JsonElement>("api/deadletters");
                return counts.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
            {
            }
        }

        return null;
    }

    /// <summary>/api/cluster as the first running silo that answers sees it.</summary>
    public async Task<IReadOnlyList<ClusterSilo.ClusterView>?> TryGetClusterAsync()
    {
        foreach (var silo in Silos.Where(s => s.IsUp))
        {
            if (await silo.TryGetClusterAsync() is { } view)
            {
                return view;
            }
        }

        return null;
    }

    /// <summary>Whether the silos listed are exactly those up, and every partition is owned by exactly one of them.</summary>
    public async Task<bool> IsSettledAsync()
    {
        var view = await TryGetClusterAsync();
        if (view is null)
        {
            return false;
        }

        var owned = view.SelectMany(s => s.Partitions).ToList();
        return view.Select(s => s.Address).ToHashSet().SetEquals(Silos.Where(s => s.IsUp).Select(s => s.Address!))
            && owned.Count == Partitions && owned.Distinct().Count() == Partitions;
    }

    /// <summary>Whether <paramref name="killedAddress"/> is no longer listed and every partition is owned by exactly one listed silo.</summary>
    public async Task<bool> HasReownedAsync(string killedAddress)
    {
        var view = await TryGetClusterAsync();
        if (view is null || view.Any(s => s.Address == killedAddress))
        {
            return false;
        }

        var owned = view.SelectMany(s => s.Partitions).ToList();
        return owned.Count == Partitions && owned.Distinct().Count() == Partitions;
    }

    /// <summary>Waits (120 s at most) until <see cref="IsSettledAsync"/>.</summary>
    public Task WaitSettledAsync(string what) =>
        ClusterUnderTest.WithinAsync(TimeSpan.FromSeconds(120), $"{what} (logs in {LogDirectory})", IsSettledAsync);

    /// <summary>Waits until the sum of label counts grew by <paramref name="by"/> from <paramref name="from"/> (default: now).</summary>
    public async Task WaitForGrowthAsync(long by, string what, long? from = null)
    {
        var start = from ?? await TryGetTotalAsync() ?? 0;
        await ClusterUnderTest.WithinAsync(TimeSpan.FromSeconds(120), $"{what} (logs in {LogDirectory})", async () => await TryGetTotalAsync() >= start + by);
    }

    /// <summary>Waits until the counts reach <paramref name="expected"/>, then a little longer, so late duplicates would show.</summary>
    public async Task<long> WaitForFinalTotalAsync(long expected)
    {
        var total = await Eventually.ReachAsync(
            async () => await TryGetTotalAsync() ?? -1,
            t => t >= expected,
            $"counts reaching {expected} (logs in {LogDirectory})",
            TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(4));
        return await TryGetTotalAsync() ?? total;
    }

    /// <summary>The membership table in the infrastructure host's Redis: silo address ("S10.1.2.3:11111:…") → status.</summary>
    public async Task<IReadOnlyDictionary<string, SiloStatus>> ReadMembershipAsync()
    {
        _membership ??= await ConnectionMultiplexer.ConnectAsync(RedisConnectionString);
        var rows = await RedisMembershipTable.ReadAsync(_membership, _environment["MLWATCH__Cluster__ServiceId"], _environment["MLWATCH__Cluster__ClusterId"]);
        return rows.ToDictionary(r => r.Key, r => r.Value.Status, StringComparer.Ordinal);
    }

    /// <summary>The IP address of a silo address as Orleans writes it ("S10.1.2.3:11111:123456789" → 10.1.2.3).</summary>
    public static string IPAddressOf(string siloAddress) =>
        SiloAddressPattern().Match(siloAddress) is { Success: true } match
            ? match.Groups[1].Value
            : throw new FormatException($"'{siloAddress}' is not a silo address (S<ip>:<port>:<generation>).");

    public ValueTask DisposeAsync()
    {
        foreach (var (_, silo) in _silos)
        {
            silo.Dispose();
        }

        _membership?.Dispose();
        foreach (var process in _infrastructure)
        {
            process.Dispose();
        }

        _postgres?.Dispose();
        // Last: kills whatever still runs on the hosts (forwarders, producers) and removes them.
        _network.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task StartInfrastructureAsync()
    {
        SystemCommand.Require("redis-server", "redis-server");
        var infra = Infrastructure;
        _postgres = await NamespacePostgres.StartAsync(infra, _network.Subnet, LogDirectory);

        // Reachable from the LAN, so protected by a password (Redis refuses other hosts without one, "protected mode").
        var redis = infra.Start("redis-server", ["--bind", infra.Address.ToString(), "--port", "6379", "--requirepass", _redisPassword, "--save", "", "--appendonly", "no"], "redis.log");
        _infrastructure.Add(redis);
        await redis.WaitForLineAsync("Ready to accept connections", TimeSpan.FromSeconds(30));

        var broker = infra.StartMlwatch(["broker", "--partitions", Partitions.ToString(CultureInfo.InvariantCulture)], "broker.log");
        _infrastructure.Add(broker);
        var ready = await broker.WaitForLineAsync("Kafka broker ready", TimeSpan.FromSeconds(60));
        BrokerPort = int.Parse(BrokerAddressPattern().Match(ready).Groups[1].Value, CultureInfo.InvariantCulture);
        _infrastructure.Add(await infra.StartForwarderAsync(infra.Address, BrokerPort, IPAddress.Loopback));

        var suffix = Guid.NewGuid().ToString("N")[..8];
        ConsumerGroup = "netns-test-" + suffix;
        _environment["MLWATCH__Cluster__RedisConnectionString"] = RedisConnectionString;
        _environment["MLWATCH__Cluster__ServiceId"] = "netns-test-" + suffix;
        _environment["MLWATCH__Cluster__ClusterId"] = "netns-test-" + suffix;
        _environment["MLWATCH__Kafka__BootstrapServers"] = $"127.0.0.1:{BrokerPort}";
        _environment["MLWATCH__Kafka__ConsumerGroup"] = ConsumerGroup;
        _environment["MLWATCH__Kafka__CheckpointInterval"] = "00:00:01";
        _environment["MLWATCH__Storage__ConnectionString"] = _postgres.ConnectionString;
        _environment["MLWATCH__Monitoring__FeedbackEnabled"] = "false";
        // Probe misses, votes and death declarations in every silo's log, for the post-mortem of a failed test.
        _environment["MLWATCH__Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information";
    }

    [GeneratedRegex(@"bootstrap servers 127\.0\.0\.1:(\d+)")]
    private static partial Regex BrokerAddressPattern();

    [GeneratedRegex(@"^S([0-9.]+):\d+:\d+$")]
    private static partial Regex SiloAddressPattern();
}
