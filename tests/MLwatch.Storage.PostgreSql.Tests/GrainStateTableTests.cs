using MLwatch.Storage.PostgreSql.Tests.Support;
using Orleans;
using Orleans.Runtime;

namespace MLwatch.Storage.PostgreSql.Tests;

public sealed class GrainStateTableTests(PostgreSqlFixture postgres) : IClassFixture<PostgreSqlFixture>
{
    [Fact]
    public async Task Start_creates_the_table_with_the_documented_columns_and_key()
    {
        var table = postgres.NewTableName();

        await using var storage = await postgres.StartStorageAsync(options => options.TableName = table);

        await using var command = postgres.DataSource.CreateCommand(
            """
            SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """);
        command.Parameters.AddWithValue("table", table);
        var columns = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
        [
            "service_id text not null", "grain_type text not null", "grain_id text not null", "state jsonb",
            "etag bigint not null", "updated_at timestamp with time zone not null",
        ], columns);
        Assert.Equal("{service_id,grain_type,grain_id}", await ScalarAsync<string>(
            """
            SELECT array_agg(a.attname::text ORDER BY k.ord)::text
            FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = to_regclass(@table) AND i.indisprimary
            """, table));
    }

    [Fact]
    public async Task Start_is_idempotent_and_keeps_existing_rows()
    {
        var table = postgres.NewTableName();
        var serviceId = PostgreSqlFixture.NewServiceId();
        var grainId = GrainId.Create("labelstats", "kept");
        await using (var first = await postgres.StartStorageAsync(options => options.TableName = table, serviceId))
        {
            await first.Storage.WriteStateAsync("labelStats", grainId, new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 42 }));
            await first.Storage.InitializeAsync(CancellationToken.None);
        }

        await using var second = await postgres.StartStorageAsync(options => options.TableName = table, serviceId);
        var read = new GrainState<LabelStatsLikeState>();
        await second.Storage.ReadStateAsync("labelStats", grainId, read);

        Assert.Equal(42, read.State!.Count);
        Assert.Equal("1", read.ETag);
    }

    [Fact]
    public async Task Silos_starting_at_the_same_moment_all_start()
    {
        var table = postgres.NewTableName();

        var storages = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => postgres.StartStorageAsync(options => options.TableName = table)));
        foreach (var storage in storages)
        {
            await storage.DisposeAsync();
        }

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE oid = to_regclass(@table)", table));
    }

    [Fact]
    public async Task Without_CreateSchemaOnStart_a_missing_table_stops_the_start_with_a_clear_error()
    {
        var table = postgres.NewTableName();

        var error = await Assert.ThrowsAsync<PostgreSqlGrainStorageException>(() => postgres.StartStorageAsync(options =>
        {
            options.TableName = table;
            options.CreateSchemaOnStart = false;
        }));

        Assert.Contains($"table {table} does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("CreateSchemaOnStart", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE oid = to_regclass(@table)", table));
    }

    [Fact]
    public async Task Without_CreateSchemaOnStart_an_existing_table_is_used()
    {
        var table = postgres.NewTableName();
        await (await postgres.StartStorageAsync(options => options.TableName = table)).DisposeAsync();

        await using var storage = await postgres.StartStorageAsync(options =>
        {
            options.TableName = table;
            options.CreateSchemaOnStart = false;
        });
        var state = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState());
        await storage.Storage.WriteStateAsync("labelStats", GrainId.Create("labelstats", "x"), state);

        Assert.Equal("1", state.ETag);
    }

    [Fact]
    public async Task A_table_of_another_shape_is_refused_with_what_is_wrong()
    {
        var table = postgres.NewTableName();
        await using (var create = postgres.DataSource.CreateCommand($"CREATE TABLE \"{table}\" (grain_id text PRIMARY KEY, state json, etag integer)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<PostgreSqlGrainStorageException>(() => postgres.StartStorageAsync(options => options.TableName = table));

        Assert.Contains($"table {table}", error.Message, StringComparison.Ordinal);
        Assert.Contains("column service_id (text) is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("column state is json, not jsonb", error.Message, StringComparison.Ordinal);
        Assert.Contains("column etag is integer, not bigint", error.Message, StringComparison.Ordinal);
    }

    private async Task<T> ScalarAsync<T>(string sql, string table)
    {
        await using var command = postgres.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("table", table);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
