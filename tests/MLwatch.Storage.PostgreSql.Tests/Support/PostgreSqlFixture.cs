using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MLwatch.Storage.PostgreSql.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace MLwatch.Storage.PostgreSql.Tests.Support;

/// <summary>
/// A real PostgreSQL for one test class: the connection string from <c>MLWATCH_TEST_POSTGRES</c> (else the one
/// eng/start-postgres.sh prints), a table name unique to this run, and every table it handed out dropped at the end.
/// Fails (never skips) when the server cannot be reached.
/// </summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    public const string ConnectionStringVariable = "MLWATCH_TEST_POSTGRES";
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=mlwatch;Password=mlwatch;Database=mlwatch_test";

    private readonly ConcurrentBag<string> _tables = [];

    public PostgreSqlFixture()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        ConnectionString = string.IsNullOrWhiteSpace(configured) ? DefaultConnectionString : configured;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        TableName = NewTableName();
    }

    public string ConnectionString { get; }

    /// <summary>For the tests' own SQL: what an analyst would run.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The table this test class shares; tests keep apart through their own grain ids.</summary>
    public string TableName { get; }

    public async Task InitializeAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        try
        {
            await using var command = DataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL the tests need is not reachable at {builder.Host}:{builder.Port} (database '{builder.Database}', user '{builder.Username}'): " +
                $"{ex.Message}. Start it with 'sudo bash eng/start-postgres.sh' (from the repository root, as root), " +
                $"or set {ConnectionStringVariable} to the connection string of another server.", ex);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var table in _tables)
        {
            await using var command = DataSource.CreateCommand($"DROP TABLE IF EXISTS \"{table}\"");
            await command.ExecuteNonQueryAsync();
        }

        await DataSource.DisposeAsync();
    }

    /// <summary>A fresh table name, dropped when the test class is done.</summary>
    public string NewTableName()
    {
        var name = $"mlwatch_test_{Guid.NewGuid():N}"[..29];
        _tables.Add(name);
        return name;
    }

    /// <summary>
    /// Registers the provider as a silo would (<see cref="PostgreSqlGrainStorageServiceCollectionExtensions"/>), resolves it and runs its start-up.
    /// By default on <see cref="TableName"/>, with a service id of its own.
    /// </summary>
    internal async Task<StorageUnderTest> StartStorageAsync(Action<PostgreSqlGrainStorageOptions>? configure = null, string? serviceId = null)
    {
        var storage = BuildStorage(options =>
        {
            options.ConnectionString = ConnectionString;
            options.TableName = TableName;
            configure?.Invoke(options);
        }, serviceId ?? NewServiceId());
        try
        {
            await storage.Storage.InitializeAsync(CancellationToken.None);
            return storage;
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    public static string NewServiceId() => $"tests-{Guid.NewGuid():N}";

    /// <summary>Registers and resolves the provider without starting it.</summary>
    internal static StorageUnderTest BuildStorage(Action<PostgreSqlGrainStorageOptions> configure, string serviceId, CapturingLoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        services.AddSerializer();
        services.Configure<ClusterOptions>(cluster =>
        {
            cluster.ServiceId = serviceId;
            cluster.ClusterId = "tests";
        });
        services.AddPostgreSqlGrainStorage(StorageUnderTest.ProviderName, configure);
        var provider = services.BuildServiceProvider();
        try
        {
            var storage = (PostgreSqlGrainStorage)provider.GetRequiredKeyedService<IGrainStorage>(StorageUnderTest.ProviderName);
            return new StorageUnderTest(storage, serviceId, provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
