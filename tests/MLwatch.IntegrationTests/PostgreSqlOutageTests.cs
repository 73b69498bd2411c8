using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using MLwatch.IntegrationTests.Support;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests;

/// <summary>
/// PostgreSQL stopped for 30 s mid-stream loses nothing: writes retry, commits wait, /healthz says degraded meanwhile.
/// Runs against a dedicated cluster (eng/start-postgres-outage.sh), never the shared one other assemblies use.
/// </summary>
public sealed class PostgreSqlOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string PgVersion = "15";
    private const string PgCluster = "outage";

    /// <summary>How long PostgreSQL is down; env MLWATCH_TEST_OUTAGE_SECONDS overrides the 30 s of the issue.</summary>
    private static readonly TimeSpan OutageDuration = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("MLWATCH_TEST_OUTAGE_SECONDS"), CultureInfo.InvariantCulture, out var seconds) ? seconds : 30);

    private readonly TestBroker _broker = new();
    private readonly string _table = "outage_" + Guid.NewGuid().ToString("N")[..12];
    private string _connectionString = null!;

    /// <summary>The test's own connections skip the pool: pooled ones die with the outage.</summary>
    private string TestSideConnectionString => new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString;

    public async Task InitializeAsync()
    {
        _connectionString = Environment.GetEnvironmentVariable("MLWATCH_TEST_POSTGRES_OUTAGE") is { Length: > 0 } configured
            ? configured
            : Run("bash", Path.Combine(RepositoryRoot(), "eng", "start-postgres-outage.sh")).Trim();
        // A previous run may have died with the cluster stopped.
        Run("pg_ctlcluster", PgVersion, PgCluster, "start", allowFailure: true);
        await WaitUntilReachableAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        _broker.Dispose();
        Run("pg_ctlcluster", PgVersion, PgCluster, "start", allowFailure: true);
        await WaitUntilReachableAsync(TimeSpan.FromSeconds(30));
        await using var connection = new NpgsqlConnection(TestSideConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {_table}", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task PostgreSQL_stopped_for_30_s_mid_stream_loses_nothing_and_healthz_says_degraded_meanwhile()
    {
        var logs = new CapturedLogs();
        await using var silo = await SiloUnderTest.StartAsync(
            _broker.BootstrapServers,
            new Dictionary<string, string?>
            {
                ["Cluster:ServiceId"] = "outage-test-" + Guid.NewGuid().ToString("N")[..8],
                ["Storage:Provider"] = "PostgreSql",
                ["Storage:ConnectionString"] = _connectionString,
                ["Storage:TableName"] = _table,
                ["Storage:RetryFor"] = "00:01:00",
                // This test is about storage; on a loaded machine its 30 s outage would also pass the stall threshold.
                ["Kafka:StallAfter"] = "00:05:00",
            },
            builder => builder.Logging.AddProvider(logs));
        using var producing = new CancellationTokenSource();
        var production = Task.Run(() => _broker.ProduceFashionMnistUntilAsync(perSecond: 200, producing.Token));

        await Eventually.ReachAsync(() => silo.GetTotalAsync(), total => total >= 400, "counting before the outage");
        Assert.Equal("ok", (await HealthAsync(silo)).Status);

        Run("pg_ctlcluster", PgVersion, PgCluster, "stop");
        var outage = Stopwatch.StartNew();
        var seenDuringOutage = new List<string>();
        var readsDuringOutage = 0;
        while (outage.Elapsed < OutageDuration)
        {
            var health = await HealthAsync(silo);
            seenDuringOutage.Add(health.Status);
            // Reads are served from memory while flushes wait for storage.
            await silo.GetTotalAsync();
            readsDuringOutage++;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var degraded = await HealthAsync(silo);
        var totalAtRestart = await silo.GetTotalAsync();
        Run("pg_ctlcluster", PgVersion, PgCluster, "start");
        var restarted = Stopwatch.StartNew();

        Assert.Contains("degraded", seenDuringOutage);
        Assert.Equal("degraded", degraded.Status);
        Assert.True(degraded.Body.GetProperty("storage").GetProperty("degradedSince").ValueKind == JsonValueKind.String, degraded.Body.ToString());
        Assert.False(string.IsNullOrEmpty(degraded.Body.GetProperty("storage").GetProperty("lastFailure").GetString()), degraded.Body.ToString());
        Assert.DoesNotContain("Password", degraded.Body.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(readsDuringOutage >= OutageDuration.TotalSeconds / 3, $"only {readsDuringOutage} reads answered during the outage");

        await Eventually.ReachAsync(async () => (await HealthAsync(silo)).Status, status => status == "ok", "storage recovering after PostgreSQL started again");
        var recoveredAfter = restarted.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await producing.CancelAsync();
        var produced = await production;
        await Eventually.ReachAsync(() => silo.GetTotalAsync(), total => total >= produced, "catching up after the outage");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(produced, await silo.GetTotalAsync());
        Assert.Equal("ok", (await HealthAsync(silo)).Status);
        Assert.Single(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("is degraded", StringComparison.Ordinal));
        Assert.Single(logs.Lines, line => line.Contains("recovered after", StringComparison.Ordinal));
        output.WriteLine(
            $"outage {OutageDuration.TotalSeconds:0} s: {readsDuringOutage} reads answered during it, degraded in {seenDuringOutage.Count(s => s == "degraded")}/{seenDuringOutage.Count} health probes; " +
            $"counted {totalAtRestart} before restart; healthz ok {recoveredAfter.TotalSeconds:0.0} s after restart; {produced} produced = counted; " +
            $"{degraded.Body.GetProperty("storage").GetProperty("failedAttempts").GetInt64()} failed attempts when PostgreSQL came back");

        // And it is durable: what the silo wrote (on its last checkpoints and on shutdown) adds up to every record.
        await silo.StopAsync();
        await using var connection = new NpgsqlConnection(TestSideConnectionString);
        await connection.OpenAsync();
        await using var sum = new NpgsqlCommand($"SELECT coalesce(sum((state->>'count')::bigint), 0) FROM {_table} WHERE grain_type = 'labelStats'", connection);
        Assert.Equal((long)produced, Convert.ToInt64(await sum.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }

    private static async Task<(string Status, JsonElement Body)> HealthAsync(SiloUnderTest silo)
    {
        using var response = await silo.Api.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (body.GetProperty("status").GetString()!, body);
    }

    private async Task WaitUntilReachableAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(TestSideConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static string Run(string program, params string[] arguments) => Run(program, arguments, allowFailure: false);

    private static string Run(string program, string a, string b, string c, bool allowFailure) => Run(program, [a, b, c], allowFailure);

    private static string Run(string program, string[] arguments, bool allowFailure)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Result}");
        }

        return output;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MLwatch.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MLwatch.sln not found above " + AppContext.BaseDirectory);
    }
}
