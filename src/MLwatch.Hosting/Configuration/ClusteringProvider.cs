namespace MLwatch.Hosting.Configuration;

/// <summary>How silos find each other.</summary>
public enum ClusteringProvider
{
    /// <summary>One silo on this machine, no membership store (the demo, single-silo tests).</summary>
    Localhost,

    /// <summary>A membership table in Redis (Microsoft.Orleans.Clustering.Redis): any number of silos.</summary>
    Redis,
}
