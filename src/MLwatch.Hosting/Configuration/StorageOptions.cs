using Orleans;

namespace MLwatch.Hosting.Configuration;

/// <summary>Section "Storage": the grain storage provider.</summary>
public sealed class StorageOptions
{
    /// <summary>Memory or PostgreSql. Defaults to Memory.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Memory;

    /// <summary>Npgsql connection string, required for PostgreSql. Defaults to none.</summary>
    [Redact]
    public string? ConnectionString { get; set; }

    /// <summary>Table holding grain state rows. Defaults to "mlwatch_grain_state".</summary>
    public string TableName { get; set; } = "mlwatch_grain_state";

    /// <summary>
    /// PostgreSql: how long a read or write retries while PostgreSQL is unreachable (exponential backoff with jitter)
    /// before it fails; the next checkpoint retries a failed flush. Zero disables retries. Defaults to 1 minute.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromMinutes(1);
}
