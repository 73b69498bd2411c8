using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using MLwatch.Abstractions.Wire;
using Npgsql;
using Orleans.Runtime;
using StackExchange.Redis;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// A whole multi-silo deployment on loopback, every part its own process: `mlwatch broker`, redis-server (membership),
/// the test PostgreSQL (one table and service id per test), and N `mlwatch silo --config silo-config/cluster.json`.
/// A producer in the test process writes valid Fashion-MNIST records and a few undecodable ones at a steady rate.
/// Disposing kills every process and drops the table.
/// </summary>
internal sealed class ClusterUnderTest : IAsyncDisposable
{
    private readonly string _table = "cluster_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<ClusterSilo> _silos = [];
    private readonly Dictionary<string, string> _environment;
    private ChildProcess _broker = null!;
    private RedisServer _redis = null!;
    private IProducer<byte[]?, byte[]?> _producer = null!;
    private IConsumer<Ignore, Ignore>? _offsets;
    private ConnectionMultiplexer? _membership;
    private CancellationTokenSource? _producing;
    private Task? _production;
    private long _validProduced;
    private long _invalidProduced;

    private ClusterUnderTest(string logDirectory)
    {
        LogDirectory = logDirectory;
        _environment = [];
    }

    /// <summary>Where every process writes its log.</summary>
    public string LogDirectory { get; }

    public string BootstrapServers { get; private set; } = "";

    /// <summary>The silos' Kafka consumer group (one per test): whose committed offsets say what is durable.</summary>
    public string ConsumerGroup { get; private set; } = "";

    public IReadOnlyList<ClusterSilo> Silos => _silos;

    /// <summary>Valid records produced and acknowledged so far.</summary>
    public long ValidProduced => Interlocked.Read(ref _validProduced);

    /// <summary>Undecodable records produced and acknowledged so far (they go to the dead-letter topic, not the counts).</summary>
    public long InvalidProduced => Interlocked.Read(ref _invalidProduced);

    /// <summary>Starts broker, Redis and <paramref name="silos"/> silos (one after another, so the first forms the cluster).</summary>
    public static async Task<ClusterUnderTest> StartAsync(string testName, int silos)
    {
        await TestPostgres.EnsureReachableAsync();
        var cluster = new ClusterUnderTest(Path.Combine(Path.GetTempPath(), "mlwatch-cluster-tests", $"{DateTime.UtcNow:HHmmss}-{testName}"));
        try
        {
            await cluster.StartInfrastructureAsync();
            for (var i = 0; i < silos; i++)
            {
                await cluster.AddSiloAsync();
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Adds and starts one more silo; <paramref name="environment"/> adds to (or overrides) the cluster's settings for it.</summary>
    public async Task<ClusterSilo> AddSiloAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string>(_environment);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var silo = new ClusterSilo(((char)('a' + _silos.Count)).ToString(), settings, LogDirectory);
        _silos.Add(silo);
        await silo.StartAsync();
        return silo;
    }

    /// <summary>Starts producing about <paramref name="perSecond"/> records a second; every 25th is undecodable.</summary>
    public void StartProducing(int perSecond)
    {
        _producing = new CancellationTokenSource();
        var token = _producing.Token;
        _production = Task.Run(async () =>
        {
            var set = FashionMnistImages.TestSet;
            var labels = FashionMnistImages.Model.Labels;
            var next = 0;
            var clock = Stopwatch.StartNew();
            while (!token.IsCancellationRequested)
            {
                var due = (int)(clock.Elapsed.TotalSeconds * perSecond);
                var pending = new List<Task>();
                for (; next < due; next++)
                {
                    pending.Add(next % 25 == 24 ? ProduceInvalidAsync(next) : ProduceValidAsync(next, set.EncodePng(next % set.Count), labels[set.GetLabel(next % set.Count)]));
                }

                await Task.WhenAll(pending);
                await Task.Delay(20, CancellationToken.None);
            }
        });
    }

    /// <summary>Stops producing and returns how many valid records were acknowledged.</summary>
    public async Task<long> StopProducingAsync()
    {
        if (_producing is not null)
        {
            await _producing.CancelAsync();
            await _production!;
        }

        return ValidProduced;
    }

    /// <summary>The sum of label counts as any running silo answers it, or null when none can answer now.</summary>
    public async Task<long?> TryGetTotalAsync()
    {
        foreach (var silo in _silos.Where(s => s.IsUp))
        {
            if (await silo.TryGetTotalAsync() is { } total)
            {
                return total;
            }
        }

        return null;
    }

    /// <summary>/api/cluster as the first running silo that answers sees it.</summary>
    public async Task<IReadOnlyList<ClusterSilo.ClusterView>?> TryGetClusterAsync()
    {
        foreach (var silo in _silos.Where(s => s.IsUp))
        {
            if (await silo.TryGetClusterAsync() is { } view)
            {
                return view;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the membership lists exactly the silos that are up and every partition of the requests topic is owned by
    /// exactly one of them: the state a rebalance converges to.
    /// </summary>
    public async Task<bool> IsSettledAsync(int partitions = 4)
    {
        var view = await TryGetClusterAsync();
        if (view is null)
        {
            return false;
        }

        var up = _silos.Where(s => s.IsUp).Select(s => s.Address!).ToHashSet();
        var owned = view.SelectMany(s => s.Partitions).ToList();
        return view.Select(s => s.Address).ToHashSet().SetEquals(up) && owned.Count == partitions && owned.Distinct().Count() == partitions;
    }

    /// <summary>
    /// Whether the membership no longer lists <paramref name="killedAddress"/> and every partition is owned by exactly one
    /// listed silo (silos restarting meanwhile may already be among them).
    /// </summary>
    public async Task<bool> HasReownedAsync(string killedAddress, int partitions = 4)
    {
        var view = await TryGetClusterAsync();
        if (view is null || view.Any(s => s.Address == killedAddress))
        {
            return false;
        }

        var owned = view.SelectMany(s => s.Partitions).ToList();
        return owned.Count == partitions && owned.Distinct().Count() == partitions;
    }

    /// <summary>Waits (90 s at most) until <see cref="IsSettledAsync"/>.</summary>
    public Task WaitSettledAsync(string what) =>
        WithinAsync(TimeSpan.FromSeconds(90), $"{what} (logs in {LogDirectory})", () => IsSettledAsync());

    /// <summary>Waits (90 s at most) until the sum of label counts grew by <paramref name="by"/> from <paramref name="from"/> (default: now).</summary>
    public async Task WaitForGrowthAsync(long by, string what, long? from = null)
    {
        var start = from ?? await TryGetTotalAsync() ?? 0;
        await WithinAsync(TimeSpan.FromSeconds(90), $"{what} (logs in {LogDirectory})", async () => await TryGetTotalAsync() >= start + by);
    }

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds; throws when <paramref name="limit"/> passes first.</summary>
    public static async Task WithinAsync(TimeSpan limit, string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not reached within {limit.TotalSeconds:F0} s.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The membership table (<see cref="RedisMembershipTable"/>): each silo address with its status and its suspicion votes.</summary>
    public async Task<IReadOnlyDictionary<string, (SiloStatus Status, int Votes)>> ReadMembershipAsync()
    {
        _membership ??= await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        return await RedisMembershipTable.ReadAsync(_membership, _environment["MLWATCH__Cluster__ServiceId"], _environment["MLWATCH__Cluster__ClusterId"]);
    }

    /// <summary>The consumer group's committed offsets of <paramref name="partitions"/> of the requests topic (-1: none yet).</summary>
    public IReadOnlyDictionary<int, long> GetCommittedOffsets(IEnumerable<int> partitions)
    {
        _offsets ??= new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = ConsumerGroup, EnableAutoCommit = false }).Build();
        return _offsets.Committed(partitions.Select(p => new TopicPartition(TopicNames.Requests, p)), TimeSpan.FromSeconds(10))
            .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>Waits until the counts equal what was produced, then a little longer, so late duplicates would show.</summary>
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

    public async ValueTask DisposeAsync()
    {
        if (_producing is not null)
        {
            await _producing.CancelAsync();
            try
            {
                await _production!;
            }
            catch (KafkaException)
            {
            }
        }

        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _producer?.Dispose();
        _offsets?.Dispose();
        _membership?.Dispose();
        _broker?.Dispose();
        _redis?.Dispose();
        try
        {
            await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {_table}", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
        }
    }

    private async Task StartInfrastructureAsync()
    {
        _redis = await RedisServer.StartAsync(LogDirectory);
        var brokerPort = FreePort.Next();
        // Four partitions, as the fault tests' expectations (who owns which) assume; `mlwatch broker` defaults to 16.
        _broker = ChildProcess.StartMlwatch(
            ["broker", "--port", brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--partitions", TestBroker.Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            Path.Combine(LogDirectory, "broker.log"));
        await _broker.WaitForLineAsync("Kafka broker ready", TimeSpan.FromSeconds(60));
        BootstrapServers = $"127.0.0.1:{brokerPort}";
        _producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();

        var suffix = Guid.NewGuid().ToString("N")[..8];
        _environment["MLWATCH__Cluster__RedisConnectionString"] = _redis.ConnectionString;
        _environment["MLWATCH__Cluster__ServiceId"] = "cluster-test-" + suffix;
        _environment["MLWATCH__Cluster__ClusterId"] = "cluster-test-" + suffix;
        _environment["MLWATCH__Kafka__BootstrapServers"] = BootstrapServers;
        ConsumerGroup = "cluster-test-" + suffix;
        _environment["MLWATCH__Kafka__ConsumerGroup"] = ConsumerGroup;
        // Probe misses, votes and death declarations in every silo's log, for the post-mortem of a failed fault test.
        _environment["MLWATCH__Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information";
        _environment["MLWATCH__Kafka__CheckpointInterval"] = "00:00:01";
        _environment["MLWATCH__Storage__ConnectionString"] = TestPostgres.ConnectionString;
        _environment["MLWATCH__Storage__TableName"] = _table;
        _environment["MLWATCH__Monitoring__FeedbackEnabled"] = "false";
    }

    private async Task ProduceValidAsync(int n, byte[] png, string label)
    {
        await ProduceAsync($"fault-{n}", png, (RecordHeaders.Label, label));
        Interlocked.Increment(ref _validProduced);
    }

    private async Task ProduceInvalidAsync(int n)
    {
        await ProduceAsync($"bad-{n}", Encoding.UTF8.GetBytes("not an image"));
        Interlocked.Increment(ref _invalidProduced);
    }

    private Task ProduceAsync(string key, byte[] value, params (string Name, string Value)[] headers)
    {
        var message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value, Headers = [] };
        foreach (var (name, text) in headers)
        {
            message.Headers.Add(name, Encoding.UTF8.GetBytes(text));
        }

        return _producer.ProduceAsync(TopicNames.Requests, message);
    }
}
