using Npgsql;

namespace MLwatch.Storage.PostgreSql;

/// <summary>
/// The table holding one row per grain state: its SQL statements, and its creation or check at start-up.
/// The name is interpolated into SQL, so it must be a plain identifier (<see cref="PostgreSqlGrainStorageOptionsValidator"/>);
/// it is quoted as well, so reserved words work. Every value goes through parameters.
/// </summary>
internal sealed class GrainStateTable
{
    /// <summary>Columns the provider needs, with their types as <c>format_type</c> prints them. Extra columns are allowed.</summary>
    private static readonly (string Column, string Type)[] RequiredColumns =
    [
        ("service_id", "text"),
        ("grain_type", "text"),
        ("grain_id", "text"),
        ("state", "jsonb"),
        ("etag", "bigint"),
        ("updated_at", "timestamp with time zone"),
    ];

    private static readonly string[] PrimaryKey = ["service_id", "grain_type", "grain_id"];

    private const string RowKey = "service_id = @service_id AND grain_type = @grain_type AND grain_id = @grain_id";

    public GrainStateTable(string name)
    {
        Name = name;
        var table = $"\"{name}\"";
        CreateSql =
            $"""
            CREATE TABLE IF NOT EXISTS {table} (
                service_id text NOT NULL,
                grain_type text NOT NULL,
                grain_id text NOT NULL,
                state jsonb,
                etag bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (service_id, grain_type, grain_id)
            )
            """;
        SelectSql = $"SELECT state, etag FROM {table} WHERE {RowKey}";
        SelectETagSql = $"SELECT etag FROM {table} WHERE {RowKey}";
        SelectETagIfStateSql = $"SELECT etag FROM {table} WHERE {RowKey} AND state = @state";
        InsertSql =
            $"""
            INSERT INTO {table} (service_id, grain_type, grain_id, state, etag, updated_at)
            VALUES (@service_id, @grain_type, @grain_id, @state, 1, now())
            ON CONFLICT (service_id, grain_type, grain_id) DO NOTHING
            RETURNING etag
            """;
        UpdateSql = $"UPDATE {table} SET state = @state, etag = etag + 1, updated_at = now() WHERE {RowKey} AND etag = @etag RETURNING etag";
        ClearSql = $"UPDATE {table} SET state = NULL, etag = etag + 1, updated_at = now() WHERE {RowKey} AND etag = @etag RETURNING etag";
        DeleteSql = $"DELETE FROM {table} WHERE {RowKey} AND etag = @etag";
    }

    public string Name { get; }

    public string CreateSql { get; }

    /// <summary>Reads <c>state</c> (jsonb text, or NULL after a clear) and <c>etag</c> of one row.</summary>
    public string SelectSql { get; }

    /// <summary>Reads the stored etag of one row, to report it in a version conflict.</summary>
    public string SelectETagSql { get; }

    /// <summary>Reads the stored etag of one row if its state equals <c>@state</c>: did a write whose reply was lost commit?</summary>
    public string SelectETagIfStateSql { get; }

    /// <summary>Inserts a row with etag 1; returns no row when it exists already.</summary>
    public string InsertSql { get; }

    /// <summary>Replaces the state when the etag matches; returns the new etag, or no row on a conflict.</summary>
    public string UpdateSql { get; }

    /// <summary>Sets the state to NULL and increments the etag when it matches; returns the new etag, or no row on a conflict.</summary>
    public string ClearSql { get; }

    /// <summary>Deletes the row when the etag matches; affects no row on a conflict.</summary>
    public string DeleteSql { get; }

    /// <summary>
    /// Creates the table when <paramref name="create"/> and it is missing, then checks that it has the columns and primary key the provider needs.
    /// Returns <see langword="true"/> when this call created it.
    /// </summary>
    /// <exception cref="PostgreSqlGrainStorageException">The table is missing (and not to be created) or has another shape.</exception>
    public async Task<bool> EnsureAsync(NpgsqlDataSource dataSource, bool create, string providerName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        var created = false;
        if (!await ExistsAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            if (!create)
            {
                throw new PostgreSqlGrainStorageException(
                    $"PostgreSQL grain storage '{providerName}': table {Name} does not exist in database '{connection.Database}' " +
                    $"and {nameof(PostgreSqlGrainStorageOptions.CreateSchemaOnStart)} is false. Create it (the provider's README has the " +
                    $"CREATE TABLE statement), or set {nameof(PostgreSqlGrainStorageOptions.CreateSchemaOnStart)} to true, " +
                    $"or fix {nameof(PostgreSqlGrainStorageOptions.TableName)}.");
            }

            created = await CreateAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        await CheckShapeAsync(connection, providerName, cancellationToken).ConfigureAwait(false);
        return created;
    }

    private async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", $"\"{Name}\"");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<bool> CreateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CreateSql, connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another silo created it at the same moment: CREATE TABLE IF NOT EXISTS is not atomic in PostgreSQL.
            return false;
        }
    }

    private async Task CheckShapeAsync(NpgsqlConnection connection, string providerName, CancellationToken cancellationToken)
    {
        const string ColumnsSql =
            """
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod),
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey))
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
            """;
        var columns = new Dictionary<string, (string Type, bool InPrimaryKey)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(ColumnsSql, connection))
        {
            command.Parameters.AddWithValue("table", $"\"{Name}\"");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns[reader.GetString(0)] = (reader.GetString(1), reader.GetBoolean(2));
            }
        }

        var problems = new List<string>();
        foreach (var (column, type) in RequiredColumns)
        {
            if (!columns.TryGetValue(column, out var actual))
            {
                problems.Add($"column {column} ({type}) is missing");
            }
            else if (!string.Equals(actual.Type, type, StringComparison.Ordinal))
            {
                problems.Add($"column {column} is {actual.Type}, not {type}");
            }
        }

        var primaryKey = columns.Where(c => c.Value.InPrimaryKey).Select(c => c.Key).Order(StringComparer.Ordinal);
        if (problems.Count == 0 && !primaryKey.SequenceEqual(PrimaryKey.Order(StringComparer.Ordinal)))
        {
            problems.Add($"the primary key is ({string.Join(", ", primaryKey)}), not ({string.Join(", ", PrimaryKey)})");
        }

        if (problems.Count > 0)
        {
            throw new PostgreSqlGrainStorageException(
                $"PostgreSQL grain storage '{providerName}': table {Name} in database '{connection.Database}' exists but was not made for grain state: " +
                $"{string.Join("; ", problems)}. Set {nameof(PostgreSqlGrainStorageOptions.TableName)} to another table, " +
                "or drop/rename this one so the provider can create it.");
        }
    }
}
