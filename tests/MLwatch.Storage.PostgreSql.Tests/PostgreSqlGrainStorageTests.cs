using MLwatch.Storage.PostgreSql.Tests.Support;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace MLwatch.Storage.PostgreSql.Tests;

public sealed class PostgreSqlGrainStorageTests(PostgreSqlFixture postgres) : IClassFixture<PostgreSqlFixture>
{
    private const string StateName = "labelStats";

    /// <summary>Doubles whose text form is easy to get wrong: shortest round-trip, extremes, subnormals, named values.</summary>
    private static readonly double[] HardDoubles =
    [
        0.1, 0.2, 0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0, Math.PI, Math.E, 0.97, 0.9999999999999999,
        1e-300, 1e300, 123456789.12345679, -2.5e-7, double.Epsilon, -double.Epsilon, 2.2250738585072014E-308,
        double.MaxValue, double.MinValue, 9007199254740993.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
    ];

    [Fact]
    public async Task Write_then_read_round_trips_a_realistic_state_exactly()
    {
        await using var writer = await postgres.StartStorageAsync();
        var grainId = NewGrainId();
        var written = RealisticState();

        await writer.Storage.WriteStateAsync(StateName, grainId, new GrainState<LabelStatsLikeState>(written));

        // A second provider instance (another silo, or this one after a restart) reads it back.
        await using var reader = await postgres.StartStorageAsync(serviceId: writer.ServiceId);
        var read = new GrainState<LabelStatsLikeState>();
        await reader.Storage.ReadStateAsync(StateName, grainId, read);

        Assert.True(read.RecordExists);
        Assert.Equal("1", read.ETag);
        var state = read.State!;
        Assert.Equal(written.Count, state.Count);
        AssertBitwiseEqual([written.ConfidenceSum, written.ConfidenceSumOfSquares, written.MinConfidence, written.MaxConfidence],
            [state.ConfidenceSum, state.ConfidenceSumOfSquares, state.MinConfidence, state.MaxConfidence]);
        Assert.Equal(written.Histogram, state.Histogram);
        Assert.Equal(written.Minutes.Count, state.Minutes.Count);
        for (var i = 0; i < written.Minutes.Count; i++)
        {
            Assert.Equal(written.Minutes[i].Minute, state.Minutes[i].Minute);
            Assert.Equal(written.Minutes[i].Count, state.Minutes[i].Count);
            AssertBitwiseEqual([written.Minutes[i].ConfidenceSum], [state.Minutes[i].ConfidenceSum]);
        }

        Assert.Equal(written.LastSeenMs, state.LastSeenMs);
        Assert.Equal(written.AppliedThrough, state.AppliedThrough);
        Assert.Equal(written.ConfusionByTruth.Keys.Order(), state.ConfusionByTruth.Keys.Order());
        foreach (var (truth, predicted) in written.ConfusionByTruth)
        {
            Assert.Equal(predicted.Keys.Order(), state.ConfusionByTruth[truth].Keys.Order());
            foreach (var (label, value) in predicted)
            {
                AssertBitwiseEqual([value], [state.ConfusionByTruth[truth][label]]);
            }
        }

        AssertBitwiseEqual(written.Samples, state.Samples);
        Assert.Equal(written.Drift, state.Drift);
        Assert.Equal(written.UpdatedAt, state.UpdatedAt);
        Assert.Equal(written.Note, state.Note);
    }

    [Fact]
    public async Task Read_of_a_missing_row_gives_a_default_state_and_no_etag()
    {
        await using var storage = await postgres.StartStorageAsync();
        var read = new GrainState<LabelStatsLikeState> { ETag = "7", RecordExists = true, State = null! };

        await storage.Storage.ReadStateAsync(StateName, NewGrainId(), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal(0, read.State!.Count);
        Assert.Equal(LabelStatsLikeState.HistogramBins, read.State!.Histogram.Length);
    }

    [Fact]
    public async Task Every_write_increments_the_etag()
    {
        await using var storage = await postgres.StartStorageAsync();
        var grainId = NewGrainId();
        var state = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState());

        var etags = new List<string?>();
        for (var i = 1; i <= 3; i++)
        {
            state.State!.Count = i;
            await storage.Storage.WriteStateAsync(StateName, grainId, state);
            etags.Add(state.ETag);
            Assert.True(state.RecordExists);
        }

        Assert.Equal(["1", "2", "3"], etags);
        Assert.Equal(3L, await ScalarAsync<long>("SELECT etag", storage, grainId));
        Assert.Equal("3", await ScalarAsync<string>("SELECT state->>'count'", storage, grainId));
    }

    [Fact]
    public async Task A_stale_writer_gets_InconsistentStateException_naming_both_etags()
    {
        await using var storage = await postgres.StartStorageAsync();
        var grainId = NewGrainId();
        await storage.Storage.WriteStateAsync(StateName, grainId, new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 1 }));

        var first = new GrainState<LabelStatsLikeState>();
        var second = new GrainState<LabelStatsLikeState>();
        await storage.Storage.ReadStateAsync(StateName, grainId, first);
        await storage.Storage.ReadStateAsync(StateName, grainId, second);

        first.State!.Count = 2;
        await storage.Storage.WriteStateAsync(StateName, grainId, first);
        second.State!.Count = 99;
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.Storage.WriteStateAsync(StateName, grainId, second));

        Assert.Equal("2", conflict.StoredEtag);
        Assert.Equal("1", conflict.CurrentEtag);
        Assert.Contains("expected etag 1 but the stored etag is 2", conflict.Message, StringComparison.Ordinal);
        Assert.Contains(grainId.ToString(), conflict.Message, StringComparison.Ordinal);
        Assert.Equal("1", second.ETag);
        Assert.Equal("2", await ScalarAsync<string>("SELECT state->>'count'", storage, grainId));
    }

    [Fact]
    public async Task Of_concurrent_writers_holding_the_same_etag_exactly_one_wins()
    {
        await using var storage = await postgres.StartStorageAsync();
        var grainId = NewGrainId();
        await storage.Storage.WriteStateAsync(StateName, grainId, new GrainState<LabelStatsLikeState>(new LabelStatsLikeState()));

        var writers = Enumerable.Range(1, 8)
            .Select(i => new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = i }) { ETag = "1" })
            .ToArray();
        var outcomes = await Task.WhenAll(writers.Select(async writer =>
        {
            try
            {
                await storage.Storage.WriteStateAsync(StateName, grainId, writer);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        var winner = writers[Array.IndexOf(outcomes, true)];
        Assert.Equal("2", winner.ETag);
        Assert.Equal(winner.State!.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await ScalarAsync<string>("SELECT state->>'count'", storage, grainId));
    }

    [Fact]
    public async Task A_first_write_over_an_existing_row_is_an_insert_conflict()
    {
        await using var storage = await postgres.StartStorageAsync();
        var grainId = NewGrainId();
        await storage.Storage.WriteStateAsync(StateName, grainId, new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 1 }));

        var other = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 5 });
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.Storage.WriteStateAsync(StateName, grainId, other));

        Assert.Equal("1", conflict.StoredEtag);
        Assert.Null(conflict.CurrentEtag);
        Assert.Contains("expected no row but the stored etag is 1", conflict.Message, StringComparison.Ordinal);
        Assert.Equal("1", await ScalarAsync<string>("SELECT state->>'count'", storage, grainId));
    }

    [Fact]
    public async Task An_update_of_a_row_deleted_meanwhile_is_a_conflict()
    {
        await using var storage = await postgres.StartStorageAsync();
        var grainId = NewGrainId();
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.Storage.WriteStateAsync(
            StateName, grainId, new GrainState<LabelStatsLikeState>(new LabelStatsLikeState()) { ETag = "4" }));

        Assert.Null(conflict.StoredEtag);
        Assert.Equal("4", conflict.CurrentEtag);
        Assert.Contains("there is no row", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_etag_from_another_provider_is_refused_as_inconsistent()
    {
        await using var storage = await postgres.StartStorageAsync();
        var state = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState()) { ETag = "W/\"0x8D\"" };

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.Storage.WriteStateAsync(StateName, NewGrainId(), state));

        Assert.Contains("not issued by this provider", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_string_jsonb_cannot_store_gives_an_error_naming_the_cause()
    {
        await using var storage = await postgres.StartStorageAsync();
        var state = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Note = "before\0after" });

        var error = await Assert.ThrowsAsync<PostgreSqlGrainStorageException>(() => storage.Storage.WriteStateAsync(StateName, NewGrainId(), state));

        Assert.Contains("NUL character", error.Message, StringComparison.Ordinal);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task Clear_keeps_the_row_with_a_null_state_and_a_new_etag_by_default()
    {
        await using var storage = await postgres.StartStorageAsync();
        var grainId = NewGrainId();
        var state = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 3 });
        await storage.Storage.WriteStateAsync(StateName, grainId, state);

        await storage.Storage.ClearStateAsync(StateName, grainId, state);

        Assert.Equal("2", state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Count);
        Assert.True(await ScalarAsync<bool>("SELECT state IS NULL", storage, grainId));

        var read = new GrainState<LabelStatsLikeState>();
        await storage.Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal("2", read.ETag);
        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State!.Count);

        read.State!.Count = 1;
        await storage.Storage.WriteStateAsync(StateName, grainId, read);
        Assert.Equal("3", read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Clear_deletes_the_row_when_DeleteStateOnClear()
    {
        await using var storage = await postgres.StartStorageAsync(options => options.DeleteStateOnClear = true);
        var grainId = NewGrainId();
        var state = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 3 });
        await storage.Storage.WriteStateAsync(StateName, grainId, state);

        await storage.Storage.ClearStateAsync(StateName, grainId, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0L, await CountRowsAsync(storage, grainId));

        state.State!.Count = 1;
        await storage.Storage.WriteStateAsync(StateName, grainId, state);
        Assert.Equal("1", state.ETag);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stale_clear_is_a_conflict_and_leaves_the_row(bool deleteStateOnClear)
    {
        await using var storage = await postgres.StartStorageAsync(options => options.DeleteStateOnClear = deleteStateOnClear);
        var grainId = NewGrainId();
        var state = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 3 });
        await storage.Storage.WriteStateAsync(StateName, grainId, state);
        await storage.Storage.WriteStateAsync(StateName, grainId, state);

        var stale = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState()) { ETag = "1" };
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.Storage.ClearStateAsync(StateName, grainId, stale));

        Assert.Equal("2", conflict.StoredEtag);
        Assert.Equal("3", await ScalarAsync<string>("SELECT state->>'count'", storage, grainId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Clearing_a_state_that_was_never_written_does_nothing(bool deleteStateOnClear)
    {
        await using var storage = await postgres.StartStorageAsync(options => options.DeleteStateOnClear = deleteStateOnClear);
        var grainId = NewGrainId();
        var state = new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 3 });

        await storage.Storage.ClearStateAsync(StateName, grainId, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Count);
        Assert.Equal(0L, await CountRowsAsync(storage, grainId));
    }

    [Fact]
    public async Task Deployments_with_different_service_ids_share_the_table_without_seeing_each_other()
    {
        await using var blue = await postgres.StartStorageAsync();
        await using var green = await postgres.StartStorageAsync();
        var grainId = NewGrainId();

        await blue.Storage.WriteStateAsync(StateName, grainId, new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 1 }));
        await green.Storage.WriteStateAsync(StateName, grainId, new GrainState<LabelStatsLikeState>(new LabelStatsLikeState { Count = 2 }));

        var read = new GrainState<LabelStatsLikeState>();
        await blue.Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal(1, read.State!.Count);
        await green.Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal(2, read.State!.Count);
    }

    [Fact]
    public async Task Rows_are_readable_with_plain_sql()
    {
        await using var storage = await postgres.StartStorageAsync();
        var grainId = NewGrainId();
        await storage.Storage.WriteStateAsync(StateName, grainId, new GrainState<LabelStatsLikeState>(RealisticState()));

        // What an analyst types in psql: camelCase keys, numbers as JSON numbers, dictionary keys unchanged.
        await using var command = postgres.DataSource.CreateCommand(
            $"""
            SELECT grain_type, grain_id, state->>'count', (state->>'maxConfidence')::float8,
                   state->'appliedThrough'->>'mlwatch.requests/3', jsonb_array_length(state->'histogram'),
                   state->'confusionByTruth'->'Ankle boot'->>'Sneaker', state->>'drift', jsonb_typeof(state->'confidenceSum'),
                   (state->'samples'->>19)::float8 = 'NaN'::float8, etag, updated_at > now() - interval '1 minute'
            FROM "{postgres.TableName}"
            WHERE service_id = @service_id AND grain_type = 'labelStats' AND grain_id = @grain_id
            """);
        command.Parameters.AddWithValue("service_id", storage.ServiceId);
        command.Parameters.AddWithValue("grain_id", grainId.ToString());
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal(StateName, reader.GetString(0));
        Assert.Equal(grainId.ToString(), reader.GetString(1));
        Assert.Equal("1234", reader.GetString(2));
        Assert.Equal(0.97, reader.GetDouble(3));
        Assert.Equal("4711", reader.GetString(4));
        Assert.Equal(LabelStatsLikeState.HistogramBins, reader.GetInt32(5));
        Assert.Equal("0.125", reader.GetString(6));
        Assert.Equal("Warning", reader.GetString(7));
        Assert.Equal("number", reader.GetString(8));
        Assert.True(reader.GetBoolean(9));
        Assert.Equal(1L, reader.GetInt64(10));
        Assert.True(reader.GetBoolean(11));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task The_lifecycle_participant_and_the_keyed_storage_are_one_instance()
    {
        await using var storage = await postgres.StartStorageAsync();

        var participants = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetServices<ILifecycleParticipant<ISiloLifecycle>>(storage.Services);

        Assert.Contains(storage.Storage, participants);
    }

    private async Task<T> ScalarAsync<T>(string select, StorageUnderTest storage, GrainId grainId)
    {
        await using var command = postgres.DataSource.CreateCommand(
            $"{select} FROM \"{postgres.TableName}\" WHERE service_id = @service_id AND grain_type = @grain_type AND grain_id = @grain_id");
        command.Parameters.AddWithValue("service_id", storage.ServiceId);
        command.Parameters.AddWithValue("grain_type", StateName);
        command.Parameters.AddWithValue("grain_id", grainId.ToString());
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> CountRowsAsync(StorageUnderTest storage, GrainId grainId) => ScalarAsync<long>("SELECT count(*)", storage, grainId);

    private static GrainId NewGrainId() => GrainId.Create("labelstats", $"fashion-mnist@1/{Guid.NewGuid():N}");

    private static void AssertBitwiseEqual(IEnumerable<double> expected, IEnumerable<double> actual) =>
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));

    private static LabelStatsLikeState RealisticState()
    {
        var state = new LabelStatsLikeState
        {
            Count = 1234,
            ConfidenceSum = 1100.0 / 3.0,
            ConfidenceSumOfSquares = 0.1 + 0.2,
            MinConfidence = 0.1234567890123456789,
            MaxConfidence = 0.97,
            LastSeenMs = 1_767_225_600_123,
            Drift = DriftLevel.Warning,
            UpdatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(1)),
            Note = "Ünïcødé \"quoted\" \\ back/slash \t tab – 数字",
            Samples = HardDoubles,
        };
        for (var bin = 0; bin < state.Histogram.Length; bin++)
        {
            state.Histogram[bin] = bin * 7L;
        }

        state.Histogram[^1] = long.MaxValue;
        state.Minutes.Add(new MinuteBucket { Minute = 29_453_760, Count = 17, ConfidenceSum = 16.0 / 3.0 });
        state.Minutes.Add(new MinuteBucket { Minute = 29_453_761, Count = 3, ConfidenceSum = 2.9000000000000004 });
        state.AppliedThrough["mlwatch.requests/3"] = 4711;
        state.AppliedThrough["mlwatch.requests/0"] = 0;
        state.AppliedThrough["Other.Topic/12"] = long.MinValue;
        state.ConfusionByTruth["Ankle boot"] = new Dictionary<string, double>(StringComparer.Ordinal) { ["Sneaker"] = 0.125, ["Ankle boot"] = 0.875 };
        state.ConfusionByTruth["T-shirt/top"] = new Dictionary<string, double>(StringComparer.Ordinal) { ["Shirt"] = 1.0 / 7.0 };
        return state;
    }
}
