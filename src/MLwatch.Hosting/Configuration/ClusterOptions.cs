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

    /// <summary>
    /// The IP address other silos and clients reach this silo at (Redis clustering). The silo also listens on it, at
    /// <see cref="SiloPort"/> and <see cref="GatewayPort"/>, so it must be an address of this machine; with silos on
    /// several machines, each one's own address on the network they share. Defaults to "127.0.0.1".
    /// </summary>
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
    /// The initial membership probe timeout (Redis clustering). Orleans then adapts each monitor's timeout and probe
    /// period to the round trips it measures, between half of this (the floor) and <see cref="MaxProbeTimeout"/>.
    /// Defaults to 2 s (Orleans' default is 5 s).
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest a probe may wait, however slow recent answers were or however degraded the prober is (Redis
    /// clustering). Times <see cref="MissedProbesLimit"/> it is also how long a silo must have sent nothing at all
    /// before anyone may vote it dead (Orleans' connection liveness check): 3 s × 3 = 9 s, so a pause of a few seconds
    /// (GC, a busy CPU) never costs a silo its membership, and a frozen one is voted dead 9–12 s after it froze.
    /// Defaults to 3 s (Orleans' default is 4 × <see cref="ProbeTimeout"/>, which with 2 s made that silence 24 s).
    /// </summary>
    public TimeSpan MaxProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Consecutive missed probes after which a silo suspects another (Redis clustering). Defaults to 3 (as Orleans).</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Fresh suspicion votes that declare a silo dead (Redis clustering); Orleans needs at most half the active silos
    /// (rounded up), so one vote in a 2-silo cluster, two in a 3-silo one. Defaults to 2 (as Orleans).
    /// </summary>
    public int VotesForDeathDeclaration { get; set; } = 2;

    /// <summary>
    /// How often each silo re-reads the membership table besides the gossip it receives (Redis clustering): bounds how
    /// long a silo that was frozen and declared dead keeps running before it reads its own death and stops.
    /// Defaults to 10 s (Orleans' default is 60 s).
    /// </summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
