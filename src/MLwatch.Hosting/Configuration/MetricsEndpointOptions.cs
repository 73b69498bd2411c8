namespace MLwatch.Hosting.Configuration;

/// <summary>Section "Metrics": the OpenTelemetry metrics a silo exposes for Prometheus.</summary>
public sealed class MetricsEndpointOptions
{
    /// <summary>Whether the silo serves its metrics at <see cref="Path"/>. Defaults to true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where Prometheus scrapes them, on the API's address (<c>Api:Urls</c>); open like /healthz, whatever
    /// <c>Api:RequireKeyForReads</c> says. Defaults to "/metrics".
    /// </summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>Throws when <see cref="Path"/> is not an absolute URL path.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path) || !Path.StartsWith('/') || Path.Contains('?', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Metrics:Path '{Path}' is not a URL path; give one that starts with '/' (default /metrics).");
        }
    }
}
