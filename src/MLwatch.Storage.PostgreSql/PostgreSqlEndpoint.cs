using System.Net.Sockets;
using Npgsql;

namespace MLwatch.Storage.PostgreSql;

/// <summary>
/// Where the provider connects (never the password), and how a failure there reads to the person who has to fix it.
/// </summary>
internal sealed record PostgreSqlEndpoint(string Host, int Port, string? Database, string? Username)
{
    /// <summary>Where an operator sets the connection string, named in every hint.</summary>
    internal const string ConnectionStringSetting =
        $"{nameof(PostgreSqlGrainStorageOptions)}.{nameof(PostgreSqlGrainStorageOptions.ConnectionString)} (in MLwatch: Storage:ConnectionString)";

    public static PostgreSqlEndpoint Parse(NpgsqlConnectionStringBuilder connectionString) =>
        new(connectionString.Host ?? "localhost", connectionString.Port, connectionString.Database, connectionString.Username);

    public override string ToString() => $"{Host}:{Port}";

    /// <summary>Says what went wrong at this endpoint and what to do about it, for a failure touching <paramref name="table"/>.</summary>
    public string Explain(Exception exception, string table) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } pg =>
            $"PostgreSQL at {this} rejected user '{Username}' ({pg.MessageText}); check Username and Password in {ConnectionStringSetting}",
        PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
            $"database '{Database}' does not exist on PostgreSQL at {this}; create it (CREATE DATABASE {Database} OWNER {Username}) " +
            $"or fix Database in {ConnectionStringSetting}",
        PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } pg =>
            $"user '{Username}' lacks a privilege on table {table} in database '{Database}' at {this} ({pg.MessageText}); " +
            $"GRANT SELECT, INSERT, UPDATE, DELETE on it (and CREATE on the schema when {nameof(PostgreSqlGrainStorageOptions.CreateSchemaOnStart)} is true), " +
            $"or create the table as its owner and set {nameof(PostgreSqlGrainStorageOptions.CreateSchemaOnStart)} to false",
        PostgresException { SqlState: PostgresErrorCodes.UndefinedTable } =>
            $"table {table} does not exist in database '{Database}' at {this}; it was dropped or never created: " +
            $"restart the silo with {nameof(PostgreSqlGrainStorageOptions.CreateSchemaOnStart)} = true, or create it as the provider's README shows",
        PostgresException { SqlState: PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.CannotConnectNow } pg =>
            $"PostgreSQL at {this} refused the connection ({pg.MessageText}); wait until it has started, or lower 'Maximum Pool Size' " +
            $"in {ConnectionStringSetting} / raise max_connections on the server",
        PostgresException { SqlState: PostgresErrorCodes.UntranslatableCharacter } pg =>
            $"the state holds a string with a NUL character (\\u0000), which jsonb cannot store ({pg.MessageText}); remove NUL characters from the state's strings",
        PostgresException pg =>
            $"PostgreSQL at {this} (database '{Database}') failed with SQLSTATE {pg.SqlState}: {pg.MessageText}",
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } or NpgsqlException { IsTransient: true } =>
            $"cannot connect to PostgreSQL at {this} ({Innermost(exception).Message}); check Host and Port in {ConnectionStringSetting} " +
            "and that PostgreSQL is running (for development: sudo bash eng/start-postgres.sh)",
        _ => $"{exception.GetType().Name} talking to PostgreSQL at {this} (database '{Database}'): {exception.Message}",
    };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
