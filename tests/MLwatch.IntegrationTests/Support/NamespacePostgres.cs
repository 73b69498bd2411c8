using Npgsql;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// A PostgreSQL server of its own on a <see cref="NamespaceHost"/>, listening on the host's LAN address and accepting
/// password logins from the LAN, as a database machine would: Debian's server binaries (installed by
/// eng/start-postgres.sh), a fresh data directory (initdb, role mlwatch as superuser), database mlwatch. Durability
/// settings are off: the data directory is deleted with it. Disposing kills the server and deletes the directory.
/// </summary>
internal sealed class NamespacePostgres : IDisposable
{
    private const string Role = "mlwatch";
    private const string Password = "mlwatch";
    private const string Database = "mlwatch";
    private readonly ChildProcess _server;
    private readonly string _dataDirectory;

    private NamespacePostgres(ChildProcess server, string dataDirectory, string host)
    {
        _server = server;
        _dataDirectory = dataDirectory;
        ConnectionString = $"Host={host};Port=5432;Username={Role};Password={Password};Database={Database}";
    }

    /// <summary>The connection string for any host of the LAN.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the cluster, starts the server on <paramref name="host"/> and creates the database; returns once it accepts logins.</summary>
    public static async Task<NamespacePostgres> StartAsync(NamespaceHost host, string subnet, string logDirectory)
    {
        var binaries = ServerBinaries();
        var dataDirectory = Path.Combine(logDirectory, $"postgres-{host.Name}");
        var passwordFile = Path.Combine(logDirectory, "postgres-password");
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(passwordFile, Password);
        SystemCommand.Run("chown", "postgres:postgres", dataDirectory, passwordFile);
        try
        {
            // PostgreSQL refuses to run as root; setpriv drops to the postgres user and execs, so the pid stays the server's.
            SystemCommand.Run("setpriv", [.. AsPostgres, Path.Combine(binaries, "initdb"), "-D", dataDirectory, "-U", Role, $"--pwfile={passwordFile}", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"]);
        }
        finally
        {
            File.Delete(passwordFile);
        }

        // initdb only admits 127.0.0.1 over TCP; the silos log in from their own addresses on the LAN.
        await File.AppendAllTextAsync(Path.Combine(dataDirectory, "pg_hba.conf"), $"host all all {subnet} scram-sha-256\n");
        var server = host.Start(
            "setpriv",
            [.. AsPostgres, Path.Combine(binaries, "postgres"), "-D", dataDirectory, "-c", $"listen_addresses={host.Address}", "-c", "port=5432",
             "-c", $"unix_socket_directories={dataDirectory}", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
            $"postgres-{host.Name}.log");
        var postgres = new NamespacePostgres(server, dataDirectory, host.Address.ToString());
        try
        {
            await postgres.CreateDatabaseAsync();
        }
        catch
        {
            postgres.Dispose();
            throw;
        }

        return postgres;
    }

    public void Dispose()
    {
        _server.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string[] AsPostgres => ["--reuid=postgres", "--regid=postgres", "--init-groups"];

    /// <summary>The newest Debian PostgreSQL server under /usr/lib/postgresql.</summary>
    private static string ServerBinaries()
    {
        var newest = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries under /usr/lib/postgresql. Run the test command (eng/test.sh), whose eng/start-postgres.sh installs Debian's postgresql.");
    }

    private async Task CreateDatabaseAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Timeout = 5 }.ConnectionString;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(server);
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
                await create.ExecuteNonQueryAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !_server.HasExited)
            {
                // Still starting (connection refused, or "the database system is starting up").
                await Task.Delay(250);
            }
        }
    }
}
