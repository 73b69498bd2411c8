namespace MLwatch.Hosting.Configuration;

/// <summary>Where grain state is persisted.</summary>
public enum StorageProvider
{
    /// <summary>In silo memory: lost when the silo stops. For the demo and tests.</summary>
    Memory,

    /// <summary>PostgreSQL, one jsonb row per grain.</summary>
    PostgreSql,
}
