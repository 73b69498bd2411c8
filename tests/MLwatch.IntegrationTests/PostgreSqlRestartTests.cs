using System.Diagnostics;
using Npgsql;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests;

/// <summary>Durable state: a silo stopped mid-stream and started again ends with exact counts, readable with psql.</summary>
public sealed class PostgreSqlRestartTests : IAsyncLifetime
{
    private readonly TestBroker _broker = new();
    private readonly string _table = "restart_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _serviceId = "restart-test-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => TestPostgres.EnsureReachableAsync();

    public async Task DisposeAsync()
    {
        _broker.Dispose();
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {_table}", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_silo_stopped_mid_stream_and_restarted_ends_with_exact_counts_readable_with_psql()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:ServiceId"] = _serviceId,
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:ConnectionString"] = TestPostgres.ConnectionString,
            ["Storage:TableName"] = _table,
        };
        using var producing = new CancellationTokenSource();
        var production = Task.Run(() => _broker.ProduceFashionMnistUntilAsync(perSecond: 400, producing.Token));

        var first = await SiloUnderTest.StartAsync(_broker.BootstrapServers, settings);
        var beforeStop = await Eventually.ReachAsync(() => first.GetTotalAsync(), total => total >= 800, "first silo counting");
        await first.DisposeAsync();

        await using var second = await SiloUnderTest.StartAsync(_broker.BootstrapServers, settings);
        await Eventually.ReachAsync(() => second.GetTotalAsync(), total => total >= beforeStop + 800, "second silo counting");
        await producing.CancelAsync();
        var produced = await production;
        await Eventually.ReachAsync(() => second.GetTotalAsync(), total => total >= produced, "second silo catching up");

        // Replays after the restart are skipped; give late duplicates time to show up before checking exactness.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(produced, await second.GetTotalAsync());

        await second.StopAsync();
        var rows = Psql($"SELECT count(*), sum((state->>'count')::bigint) FROM {_table} WHERE grain_type = 'labelStats'");
        Assert.Equal($"10|{produced}", rows);
    }

    /// <summary>Runs a query with the psql command-line client, as an analyst would, and returns its unaligned output.</summary>
    private static string Psql(string sql)
    {
        var connection = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString);
        var start = new ProcessStartInfo("psql", ["-X", "-A", "-t", "-h", connection.Host!, "-p", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", connection.Username!, "-d", connection.Database!, "-c", sql])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = connection.Password;
        using var psql = Process.Start(start)!;
        var output = psql.StandardOutput.ReadToEnd();
        var errors = psql.StandardError.ReadToEnd();
        psql.WaitForExit();
        Assert.True(psql.ExitCode == 0, $"psql failed ({psql.ExitCode}): {errors}");
        return output.Trim();
    }
}
