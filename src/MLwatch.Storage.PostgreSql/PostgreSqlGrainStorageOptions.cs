using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans;
using Orleans.Runtime;

namespace MLwatch.Storage.PostgreSql;

/// <summary>
/// Options for <c>PostgreSqlGrainStorage</c>, the Orleans grain storage provider that keeps one jsonb row per grain state in PostgreSQL.
/// </summary>
public sealed class PostgreSqlGrainStorageOptions
{
    /// <summary>
    /// The default value of <see cref="TableName"/>.
    /// </summary>
    public const string DefaultTableName = "mlwatch_grain_state";

    /// <summary>
    /// Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Username=mlwatch;Password=...;Database=mlwatch</c>.
    /// Required; there is no default. Never logged.
    /// </summary>
    [Redact]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Name of the table holding grain state, in the connection's default schema (normally <c>public</c>).
    /// Must match <c>^[a-z_][a-z0-9_]{0,62}$</c>. Defaults to <c>"mlwatch_grain_state"</c>.
    /// </summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Whether the table is created (<c>CREATE TABLE IF NOT EXISTS</c>) when the silo starts.
    /// When <see langword="false"/>, start-up only checks that the table exists. Defaults to <see langword="true"/>.
    /// </summary>
    public bool CreateSchemaOnStart { get; set; } = true;

    /// <summary>
    /// Silo lifecycle stage at which the provider connects and prepares the table.
    /// Defaults to <see cref="ServiceLifecycleStage.ApplicationServices"/>.
    /// </summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>
    /// Whether <c>ClearStateAsync</c> deletes the row. When <see langword="false"/> the row is kept with state
    /// <c>null</c> and a new etag, so the version keeps increasing. Defaults to <see langword="false"/>.
    /// </summary>
    public bool DeleteStateOnClear { get; set; }

    /// <summary>
    /// How long a read, write or clear keeps retrying transient failures (PostgreSQL down or restarting, connection refused
    /// or reset, too many connections) with exponential backoff and jitter before it fails. Version conflicts and other
    /// errors (missing table, privileges, bad state) never retry. <see cref="TimeSpan.Zero"/> disables retries.
    /// Defaults to 1 minute.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Delay before the first retry; it doubles (with jitter) up to <see cref="RetryMaxDelay"/>. Defaults to 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between two retries. Defaults to 5 seconds.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// System.Text.Json options used to serialize grain state into the <c>state</c> jsonb column.
    /// Defaults to <see langword="null"/>, meaning <see cref="CreateDefaultSerializerOptions"/>:
    /// web defaults (camelCase names, case-insensitive reads) with enums written as strings
    /// and NaN/Infinity written as the JSON strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
    /// </summary>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>
    /// Creates the serializer options used when <see cref="SerializerOptions"/> is not set.
    /// </summary>
    public static JsonSerializerOptions CreateDefaultSerializerOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        // A state may hold NaN or an infinity (e.g. an empty minimum); without this the write would fail.
        options.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
