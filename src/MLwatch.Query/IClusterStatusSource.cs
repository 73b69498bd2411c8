namespace MLwatch.Query;

/// <summary>Which silos form the cluster and which Kafka partitions each consumes (tests substitute it).</summary>
public interface IClusterStatusSource
{
    /// <summary>The active silos, ordered by address.</summary>
    Task<IReadOnlyList<SiloSummary>> GetSilosAsync();
}
