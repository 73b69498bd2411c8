namespace MLwatch.Hosting.Configuration;

/// <summary>Section "Cluster": how this silo finds the others and listens.</summary>
public sealed class MLwatchClusterOptions
{
    /// <summary>Orleans cluster id. Defaults to "mlwatch".</summary>
    public string ClusterId { get; set; } = "mlwatch";

    /// <summary>Orleans service id (stable across deployments: it keys persisted state). Defaults to "mlwatch".</summary>
    public string ServiceId { get; set; } = "mlwatch";

    /// <summary>Silo-to-silo port. Defaults to 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port. Defaults to 30000.</summary>
    public int GatewayPort { get; set; } = 30000;
}
