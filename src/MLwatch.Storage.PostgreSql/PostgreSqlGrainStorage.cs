using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Polly;
using Polly.Retry;

namespace MLwatch.Storage.PostgreSql;

/// <summary>
/// Orleans grain storage on PostgreSQL: one row per (service id, state name, grain id) in <see cref="PostgreSqlGrainStorageOptions.TableName"/>,
/// the state as System.Text.Json in a jsonb column, and a bigint etag that every write increments (optimistic concurrency).
/// Transient failures (server down or restarting, connection refused or reset) are retried with exponential backoff and
/// jitter for up to <see cref="PostgreSqlGrainStorageOptions.RetryFor"/>, and reported to the silo's <see cref="StorageHealth"/>.
/// </summary>
internal sealed partial class PostgreSqlGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable, IDisposable
{
    private readonly string _name;
    private readonly string _serviceId;
    private readonly PostgreSqlGrainStorageOptions _options;
    private readonly JsonSerializerOptions _serializerOptions;
    private readonly GrainStateTable _table;
    private readonly PostgreSqlEndpoint _endpoint;
    private readonly NpgsqlDataSource _dataSource;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILogger _logger;
    private readonly StorageHealth _health;
    private readonly ResiliencePipeline _retry;

    public PostgreSqlGrainStorage(
        string name,
        PostgreSqlGrainStorageOptions options,
        IOptions<ClusterOptions> clusterOptions,
        IActivatorProvider activatorProvider,
        ILoggerFactory loggerFactory,
        StorageHealth? health = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        ArgumentNullException.ThrowIfNull(activatorProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        // The silo runs the validator too, but only after it has built its lifecycle participants (this provider among them);
        // run it here as well so a bad table name never reaches SQL and a bad connection string fails with the same clear message.
        new PostgreSqlGrainStorageOptionsValidator(options, name).ValidateConfiguration();

        _name = name;
        _options = options;
        _serviceId = clusterOptions.Value.ServiceId;
        _serializerOptions = options.SerializerOptions ?? PostgreSqlGrainStorageOptions.CreateDefaultSerializerOptions();
        _table = new GrainStateTable(options.TableName);
        _activatorProvider = activatorProvider;
        _logger = loggerFactory.CreateLogger<PostgreSqlGrainStorage>();
        _health = health ?? new StorageHealth(TimeProvider.System, loggerFactory.CreateLogger<StorageHealth>());
        _retry = BuildRetryPipeline(options);

        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString) { Name = $"mlwatch-grain-storage-{name}" };
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = $"MLwatch grain storage {name}";
        }

        builder.UseLoggerFactory(loggerFactory);
        _endpoint = PostgreSqlEndpoint.Parse(builder.ConnectionStringBuilder);
        _dataSource = builder.Build();
    }

    /// <summary>The table this provider reads and writes.</summary>
    internal string TableName => _table.Name;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<PostgreSqlGrainStorage>(_name), _options.InitStage, InitializeAsync);

    /// <summary>Connects, then creates the table (<see cref="PostgreSqlGrainStorageOptions.CreateSchemaOnStart"/>) or checks that it exists.</summary>
    internal async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        LogInitializing(_name, _serviceId, _table.Name, _endpoint.ToString(), _endpoint.Database);
        try
        {
            var created = await _table.EnsureAsync(_dataSource, _options.CreateSchemaOnStart, _name, cancellationToken).ConfigureAwait(false);
            LogInitialized(_name, _table.Name, created ? "created" : "found", _endpoint.ToString(), _endpoint.Database, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (PostgreSqlGrainStorageException ex)
        {
            LogInitFailed(ex, _name, _endpoint.ToString());
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogInitFailed(ex, _name, _endpoint.ToString());
            throw new PostgreSqlGrainStorageException(
                $"PostgreSQL grain storage '{_name}' cannot start: {_endpoint.Explain(ex, _table.Name)}.", ex);
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string? json;
        long? etag;
        try
        {
            (json, etag) = await ExecuteAsync<(string?, long?)>("read", async (_, token) =>
            {
                await using var command = CreateCommand(_table.SelectSql, stateName, grainId);
                await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                return await reader.ReadAsync(token).ConfigureAwait(false)
                    ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1))
                    : (null, null);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Failure(ex, "read", stateName, grainId);
        }

        T? state;
        try
        {
            state = json is null ? default : JsonSerializer.Deserialize<T>(json, _serializerOptions);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            LogOperationFailed(ex, _name, "read", stateName, grainId);
            throw new PostgreSqlGrainStorageException(
                $"PostgreSQL grain storage '{_name}' cannot read state '{stateName}' of grain {grainId}: the jsonb in table {_table.Name} " +
                $"(service_id '{_serviceId}') does not deserialize into {typeof(T)} ({ex.Message}). Make the type accept the stored JSON, " +
                "or fix or delete that row.", ex);
        }

        grainState.State = state ?? CreateDefaultState<T>();
        grainState.ETag = etag?.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = json is not null;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string json;
        try
        {
            json = JsonSerializer.Serialize(grainState.State, _serializerOptions);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            LogOperationFailed(ex, _name, "write", stateName, grainId);
            throw new PostgreSqlGrainStorageException(
                $"PostgreSQL grain storage '{_name}' cannot write state '{stateName}' of grain {grainId}: {typeof(T)} does not serialize to JSON " +
                $"({ex.Message}). Keep grain state to public get/set properties of JSON-friendly types, or set " +
                $"{nameof(PostgreSqlGrainStorageOptions)}.{nameof(PostgreSqlGrainStorageOptions.SerializerOptions)} with a converter.", ex);
        }

        var expected = ParseETag(grainState.ETag, "write", stateName, grainId);
        long written;
        try
        {
            written = await ExecuteAsync("write", async (attempt, token) =>
            {
                await using var command = CreateCommand(expected is null ? _table.InsertSql : _table.UpdateSql, stateName, grainId);
                command.Parameters.Add(new NpgsqlParameter<string>("state", NpgsqlDbType.Jsonb) { TypedValue = json });
                if (expected is { } etag)
                {
                    command.Parameters.Add(new NpgsqlParameter<long>("etag", NpgsqlDbType.Bigint) { TypedValue = etag });
                }

                if ((long?)await command.ExecuteScalarAsync(token).ConfigureAwait(false) is { } newETag)
                {
                    return newETag;
                }

                // A retry after a failure that may have struck after the commit (reply lost): if the row holds exactly this
                // state at the next etag, that earlier attempt wrote it.
                if (attempt > 0 && await ReadETagIfStateAsync(stateName, grainId, json, token).ConfigureAwait(false) is { } stored
                    && stored == (expected ?? 0) + 1)
                {
                    return stored;
                }

                throw await ConflictAsync("write", stateName, grainId, grainState.ETag, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Failure(ex, "write", stateName, grainId);
        }

        grainState.ETag = written.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var expected = ParseETag(grainState.ETag, "clear", stateName, grainId);
        string? newETag;
        try
        {
            newETag = await ExecuteAsync("clear", (_, token) => ClearOnceAsync(stateName, grainId, expected, grainState.ETag, token), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Failure(ex, "clear", stateName, grainId);
        }

        grainState.State = CreateDefaultState<T>();
        grainState.ETag = newETag;
        grainState.RecordExists = false;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// Whether <paramref name="exception"/> may go away by itself: the server is down, restarting or refusing connections
    /// for now, or the connection broke. Version conflicts, missing tables, privileges and bad data are not transient.
    /// </summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
            || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or TimeoutException => true,
        _ => false,
    };

    private async Task<string?> ClearOnceAsync(string stateName, GrainId grainId, long? expected, string? currentETag, CancellationToken cancellationToken)
    {
        if (expected is not { } etag)
        {
            // Nothing was ever written as far as this activation knows: fine if the row is indeed absent.
            if (await ReadETagAsync(stateName, grainId, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw await ConflictAsync("clear", stateName, grainId, currentETag, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        if (_options.DeleteStateOnClear)
        {
            await using var command = CreateCommand(_table.DeleteSql, stateName, grainId);
            command.Parameters.Add(new NpgsqlParameter<long>("etag", NpgsqlDbType.Bigint) { TypedValue = etag });
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw await ConflictAsync("clear", stateName, grainId, currentETag, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        await using var clear = CreateCommand(_table.ClearSql, stateName, grainId);
        clear.Parameters.Add(new NpgsqlParameter<long>("etag", NpgsqlDbType.Bigint) { TypedValue = etag });
        var cleared = (long?)await clear.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            ?? throw await ConflictAsync("clear", stateName, grainId, currentETag, cancellationToken).ConfigureAwait(false);
        return cleared.ToString(CultureInfo.InvariantCulture);
    }

    private static ResiliencePipeline BuildRetryPipeline(PostgreSqlGrainStorageOptions options)
    {
        if (options.RetryFor <= TimeSpan.Zero)
        {
            return ResiliencePipeline.Empty;
        }

        var retryFor = options.RetryFor;
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // Retry transient failures until RetryFor has passed since the first attempt; then the last failure is thrown.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception
                    && IsTransient(exception)
                    && !args.Context.CancellationToken.IsCancellationRequested
                    && args.Context.Properties.TryGetValue(StartedAt, out var started)
                    && Stopwatch.GetElapsedTime(started) < retryFor),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
    }

    private static readonly ResiliencePropertyKey<long> StartedAt = new("mlwatch.storage.started-at");

    /// <summary>
    /// Runs <paramref name="operation"/> through the retry pipeline (its first argument counts earlier attempts), reporting
    /// every transient failure and the first success after one to <see cref="StorageHealth"/>.
    /// </summary>
    private async Task<TResult> ExecuteAsync<TResult>(
        string operationName, Func<int, CancellationToken, Task<TResult>> operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StartedAt, Stopwatch.GetTimestamp());
        var attempts = 0;
        var retrying = false;
        try
        {
            return await _retry.ExecuteAsync(async ctx =>
            {
                try
                {
                    var result = await operation(attempts, ctx.CancellationToken).ConfigureAwait(false);
                    _health.ReportSuccess(_name);
                    return result;
                }
                catch (Exception ex) when (IsTransient(ex) && !ctx.CancellationToken.IsCancellationRequested)
                {
                    _health.ReportFailure(_name, operationName, _endpoint.Explain(ex, _table.Name));
                    if (!retrying && _options.RetryFor > TimeSpan.Zero)
                    {
                        retrying = true;
                        _health.Retrying(1);
                    }

                    LogAttemptFailed(_name, operationName, attempts + 1, ex.Message);
                    throw;
                }
                finally
                {
                    attempts++;
                }
            }, context).ConfigureAwait(false);
        }
        finally
        {
            if (retrying)
            {
                _health.Retrying(-1);
            }

            ResilienceContextPool.Shared.Return(context);
        }
    }

    public void Dispose() => _dataSource.Dispose();

    private NpgsqlCommand CreateCommand(string sql, string stateName, GrainId grainId)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", NpgsqlDbType.Text) { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string>("grain_type", NpgsqlDbType.Text) { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<string>("grain_id", NpgsqlDbType.Text) { TypedValue = grainId.ToString() });
        return command;
    }

    private async Task<long?> ReadETagAsync(string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(_table.SelectETagSql, stateName, grainId);
        return (long?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<long?> ReadETagIfStateAsync(string stateName, GrainId grainId, string json, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(_table.SelectETagIfStateSql, stateName, grainId);
        command.Parameters.Add(new NpgsqlParameter<string>("state", NpgsqlDbType.Jsonb) { TypedValue = json });
        return (long?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the version-conflict exception, naming the etag that is stored now (if any) and the one the activation held.</summary>
    private async Task<InconsistentStateException> ConflictAsync(
        string operation, string stateName, GrainId grainId, string? currentETag, CancellationToken cancellationToken)
    {
        var stored = (await ReadETagAsync(stateName, grainId, cancellationToken).ConfigureAwait(false))?.ToString(CultureInfo.InvariantCulture);
        LogConflict(_name, operation, stateName, grainId, stored, currentETag);
        var expectation = currentETag is null ? "expected no row" : $"expected etag {currentETag}";
        var found = stored is null ? "there is no row" : $"the stored etag is {stored}";
        return new InconsistentStateException(
            $"Version conflict on {operation} of state '{stateName}' of grain {grainId} in PostgreSQL grain storage '{_name}' " +
            $"(table {_table.Name}, service_id '{_serviceId}'): {expectation} but {found}. Another activation or process changed this state; " +
            "Orleans deactivates the grain so that it reads the current state again.",
            stored,
            currentETag);
    }

    private long? ParseETag(string? etag, string operation, string stateName, GrainId grainId)
    {
        if (etag is null)
        {
            return null;
        }

        if (long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new InconsistentStateException(
            $"Cannot {operation} state '{stateName}' of grain {grainId} in PostgreSQL grain storage '{_name}': etag '{etag}' was not issued by this " +
            "provider (it issues integers). The state was read from another storage provider; read it again through this one.",
            null,
            etag);
    }

    private PostgreSqlGrainStorageException Failure(Exception exception, string operation, string stateName, GrainId grainId)
    {
        LogOperationFailed(exception, _name, operation, stateName, grainId);
        return new PostgreSqlGrainStorageException(
            $"PostgreSQL grain storage '{_name}' cannot {operation} state '{stateName}' of grain {grainId}: {_endpoint.Explain(exception, _table.Name)}.",
            exception);
    }

    /// <summary>Failures to wrap: everything but version conflicts and cancellation the caller asked for.</summary>
    private static bool IsStorageFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not InconsistentStateException && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private T CreateDefaultState<T>() => _activatorProvider.GetActivator<T>().Create();

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "PostgreSQL grain storage {Name} is starting: service {ServiceId}, table {Table} at {Endpoint}, database {Database}")]
    private partial void LogInitializing(string name, string serviceId, string table, string endpoint, string? database);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "PostgreSQL grain storage {Name} is ready: table {Table} {Outcome} at {Endpoint}, database {Database}, in {ElapsedMilliseconds:0} ms")]
    private partial void LogInitialized(string name, string table, string outcome, string endpoint, string? database, double elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "PostgreSQL grain storage {Name} failed to start against {Endpoint}")]
    private partial void LogInitFailed(Exception exception, string name, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "PostgreSQL grain storage {Name} failed to {Operation} state {StateName} of grain {GrainId}")]
    private partial void LogOperationFailed(Exception exception, string name, string operation, string stateName, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "PostgreSQL grain storage {Name}: attempt {Attempt} to {Operation} failed transiently ({Reason})")]
    private partial void LogAttemptFailed(string name, string operation, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "PostgreSQL grain storage {Name}: version conflict on {Operation} of state {StateName} of grain {GrainId}; stored etag {StoredETag}, expected {CurrentETag}")]
    private partial void LogConflict(string name, string operation, string stateName, GrainId grainId, string? storedETag, string? currentETag);
}
