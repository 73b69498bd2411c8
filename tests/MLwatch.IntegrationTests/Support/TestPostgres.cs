using Npgsql;

namespace MLwatch.IntegrationTests.Support;

/// <summary>The PostgreSQL the test command starts (eng/start-postgres.sh); env MLWATCH_TEST_POSTGRES overrides it.</summary>
internal static class TestPostgres
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("MLWATCH_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Username=mlwatch;Password=mlwatch;Database=mlwatch_test";

    /// <summary>Fails with the fix when PostgreSQL is not reachable.</summary>
    public static async Task EnsureReachableAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable ({exception.Message}). Run the test command (eng/test.sh), or `sudo bash eng/start-postgres.sh` first.",
                exception);
        }
    }
}
