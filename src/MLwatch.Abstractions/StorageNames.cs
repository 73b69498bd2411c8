namespace MLwatch.Abstractions;

/// <summary>Grain storage provider names.</summary>
public static class StorageNames
{
    /// <summary>Where per-label statistics and ingest counters are persisted.</summary>
    public const string Stats = "mlwatch";
}
