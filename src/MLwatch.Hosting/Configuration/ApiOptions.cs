using Orleans;

namespace MLwatch.Hosting.Configuration;

/// <summary>Section "Api": the HTTP query API.</summary>
public sealed class ApiOptions
{
    /// <summary>The header that carries the API key.</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>Where the API listens. Defaults to "http://127.0.0.1:5080".</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// The key admin operations (they change thresholds or state) require in the <see cref="KeyHeader"/> header; set it through
    /// the environment (MLWATCH__Api__AdminKey) rather than a profile file. Never logged. Defaults to none: admin operations
    /// answer 401 until it is set.
    /// </summary>
    [Redact]
    public string? AdminKey { get; set; }

    /// <summary>
    /// Whether the read endpoints under /api need the key too (the same <see cref="AdminKey"/>); /healthz stays open.
    /// Defaults to false: reads are open.
    /// </summary>
    public bool RequireKeyForReads { get; set; }

    /// <summary>
    /// How long a GET under /api waits for the grains it reads before answering 503 with Retry-After: a read routed to
    /// a silo that is frozen but not yet declared dead would otherwise wait for Orleans' 30 s response timeout.
    /// Defaults to 5 s.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
