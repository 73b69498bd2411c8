namespace MLwatch.Hosting.Configuration;

/// <summary>Where grain state is persisted.</summary>
public enum StorageProvider
{
    /// <summary>In this silo's memory: lost when the silo stops. For the one-silo demo and tests.</summary>
    Memory,

    /// <summary>PostgreSQL, one jsonb row per grain.</summary>
    PostgreSql,
}
