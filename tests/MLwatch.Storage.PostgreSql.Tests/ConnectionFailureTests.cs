using MLwatch.Storage.PostgreSql.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace MLwatch.Storage.PostgreSql.Tests;

/// <summary>Failures say what happened and what to do, and never show the password: not in the exception, not in the logs.</summary>
public sealed class ConnectionFailureTests(PostgreSqlFixture postgres) : IClassFixture<PostgreSqlFixture>
{
    private const string Password = "pw-that-must-not-leak-7f3a";

    [Fact]
    public async Task No_server_at_the_address_says_cannot_connect_and_how_to_fix_it()
    {
        var port = FreePort.Next();
        var logs = new CapturingLoggerProvider();
        await using var storage = PostgreSqlFixture.BuildStorage(options =>
        {
            options.ConnectionString = $"Host=127.0.0.1;Port={port};Username=mlwatch;Password={Password};Database=mlwatch_test;Timeout=5";
        }, "tests", logs);

        var error = await Assert.ThrowsAsync<PostgreSqlGrainStorageException>(() => storage.Storage.InitializeAsync(CancellationToken.None));

        Assert.Contains($"cannot connect to PostgreSQL at 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("eng/start-postgres.sh", error.Message, StringComparison.Ordinal);
        AssertNoPassword(error, logs);
        Assert.Contains(logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_read_while_the_server_is_unreachable_names_the_grain_and_the_address()
    {
        var port = FreePort.Next();
        var logs = new CapturingLoggerProvider();
        await using var storage = PostgreSqlFixture.BuildStorage(options =>
        {
            options.ConnectionString = $"Host=127.0.0.1;Port={port};Username=mlwatch;Password={Password};Database=mlwatch_test;Timeout=5";
            options.RetryFor = TimeSpan.Zero;
        }, "tests", logs);
        var grainId = GrainId.Create("labelstats", "unreachable");

        var error = await Assert.ThrowsAsync<PostgreSqlGrainStorageException>(
            () => storage.Storage.ReadStateAsync("labelStats", grainId, new GrainState<LabelStatsLikeState>()));

        Assert.Contains($"cannot read state 'labelStats' of grain {grainId}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"cannot connect to PostgreSQL at 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        AssertNoPassword(error, logs);
    }

    [Fact]
    public async Task A_read_while_the_server_is_unreachable_retries_for_RetryFor_and_reports_degraded_health_once()
    {
        var port = FreePort.Next();
        var logs = new CapturingLoggerProvider();
        await using var storage = PostgreSqlFixture.BuildStorage(options =>
        {
            options.ConnectionString = $"Host=127.0.0.1;Port={port};Username=mlwatch;Password={Password};Database=mlwatch_test;Timeout=5";
            options.RetryFor = TimeSpan.FromSeconds(2);
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            options.RetryMaxDelay = TimeSpan.FromMilliseconds(400);
        }, "tests", logs);
        var health = storage.Services.GetRequiredService<StorageHealth>();
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<PostgreSqlGrainStorageException>(
            () => storage.Storage.ReadStateAsync("labelStats", GrainId.Create("labelstats", "unreachable"), new GrainState<LabelStatsLikeState>()));

        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        var snapshot = health.GetSnapshot();
        Assert.Equal(StorageHealthSnapshot.Degraded, snapshot.Status);
        Assert.True(snapshot.FailedAttempts > 2, $"only {snapshot.FailedAttempts} attempts");
        Assert.Contains($"127.0.0.1:{port}", snapshot.LastFailure, StringComparison.Ordinal);
        Assert.False(snapshot.Retrying);
        Assert.Single(logs.Lines, line => line.Contains("is degraded", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, snapshot.LastFailure, StringComparison.Ordinal);
        AssertNoPassword(new InvalidOperationException(), logs);
    }

    [Fact]
    public void Only_connection_failures_are_transient()
    {
        Assert.True(PostgreSqlGrainStorage.IsTransient(new NpgsqlException("down", new System.Net.Sockets.SocketException(111))));
        Assert.True(PostgreSqlGrainStorage.IsTransient(new PostgresException("terminating", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown)));
        Assert.True(PostgreSqlGrainStorage.IsTransient(new PostgresException("starting", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow)));
        Assert.False(PostgreSqlGrainStorage.IsTransient(new PostgresException("no table", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable)));
        Assert.False(PostgreSqlGrainStorage.IsTransient(new PostgresException("password", "FATAL", "FATAL", PostgresErrorCodes.InvalidPassword)));
        Assert.False(PostgreSqlGrainStorage.IsTransient(new Orleans.Storage.InconsistentStateException("conflict")));
    }

    [Fact]
    public async Task A_wrong_password_says_the_user_was_rejected_without_showing_it()
    {
        var logs = new CapturingLoggerProvider();
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Password = Password }.ConnectionString;
        await using var storage = PostgreSqlFixture.BuildStorage(options => options.ConnectionString = connectionString, "tests", logs);

        var error = await Assert.ThrowsAsync<PostgreSqlGrainStorageException>(() => storage.Storage.InitializeAsync(CancellationToken.None));

        Assert.Contains("rejected user", error.Message, StringComparison.Ordinal);
        Assert.Contains("check Username and Password", error.Message, StringComparison.Ordinal);
        AssertNoPassword(error, logs);
    }

    [Fact]
    public async Task A_missing_database_says_to_create_it()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = "mlwatch_no_such_database" }.ConnectionString;
        await using var storage = PostgreSqlFixture.BuildStorage(options => options.ConnectionString = connectionString, "tests");

        var error = await Assert.ThrowsAsync<PostgreSqlGrainStorageException>(() => storage.Storage.InitializeAsync(CancellationToken.None));

        Assert.Contains("database 'mlwatch_no_such_database' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE DATABASE mlwatch_no_such_database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_dropped_behind_the_providers_back_says_how_to_recreate_it()
    {
        var table = postgres.NewTableName();
        await using var storage = await postgres.StartStorageAsync(options => options.TableName = table);
        await using (var drop = postgres.DataSource.CreateCommand($"DROP TABLE \"{table}\""))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<PostgreSqlGrainStorageException>(() => storage.Storage.WriteStateAsync(
            "labelStats", GrainId.Create("labelstats", "x"), new GrainState<LabelStatsLikeState>(new LabelStatsLikeState())));

        Assert.Contains($"table {table} does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("CreateSchemaOnStart = true", error.Message, StringComparison.Ordinal);
    }

    private static void AssertNoPassword(Exception error, CapturingLoggerProvider logs)
    {
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Password, StringComparison.Ordinal));
    }
}
