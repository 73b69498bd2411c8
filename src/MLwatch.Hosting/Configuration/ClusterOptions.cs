using Orleans;

namespace MLwatch.Hosting.Configuration;

/// <summary>Section "Cluster": how this silo finds the others and listens.</summary>
public sealed class MLwatchClusterOptions
{
    /// <summary>Localhost or Redis. Defaults to Localhost (one silo, nothing installed).</summary>
    public ClusteringProvider Clustering { get; set; } = ClusteringProvider.Localhost;

    /// <summary>StackExchange.Redis connection string of the membership table, required for Redis clustering. Defaults to none.</summary>
    [Redact]
    public string? RedisConnectionString { get; set; }

    /// <summary>The IP address other silos and clients reach this silo at (Redis clustering). Defaults to "127.0.0.1".</summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>Orleans cluster id. Defaults to "mlwatch".</summary>
    public string ClusterId { get; set; } = "mlwatch";

    /// <summary>Orleans service id (stable across deployments: it keys persisted state). Defaults to "mlwatch".</summary>
    public string ServiceId { get; set; } = "mlwatch";

    /// <summary>Silo-to-silo port. Defaults to 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port. Defaults to 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// How long a silo waits for a probe answer before counting it missed (Redis clustering). Together with Orleans'
    /// three missed probes and two votes it bounds how soon a killed silo is declared dead and its Kafka partitions move.
    /// Defaults to 2 s (Orleans' default is 5 s).
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
