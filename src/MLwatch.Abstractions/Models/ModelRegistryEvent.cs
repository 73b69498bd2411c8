namespace MLwatch.Abstractions.Models;

/// <summary>One entry of a model registry's history: what happened to which version, where, by whom and why.</summary>
[GenerateSerializer, Alias("mlwatch.model-registry-event")]
public sealed class ModelRegistryEvent
{
    /// <summary>When it happened.</summary>
    [Id(0)] public DateTimeOffset At { get; set; }

    /// <summary>What happened: one of <see cref="ModelRegistryEventKinds"/>.</summary>
    [Id(1)] public string Kind { get; set; } = "";

    /// <summary>The version concerned; null for a refused command that named none.</summary>
    [Id(2)] public string? Version { get; set; }

    /// <summary>The silo it happened on (validation, serving); null for registry-wide events.</summary>
    [Id(3)] public string? Silo { get; set; }

    /// <summary>Who asked for it (the publisher, the person who activated or rolled back); null for what silos report.</summary>
    [Id(4)] public string? By { get; set; }

    /// <summary>A reason code (from the validation or the refusal); null when there is none.</summary>
    [Id(5)] public string? Reason { get; set; }

    /// <summary>What happened, in words a person can act on.</summary>
    [Id(6)] public string Message { get; set; } = "";

    /// <summary>The control record that caused it ("topic/partition/offset"); null when none did.</summary>
    [Id(7)] public string? Control { get; set; }
}

/// <summary>The kinds of <see cref="ModelRegistryEvent"/>.</summary>
public static class ModelRegistryEventKinds
{
    /// <summary>A version was published (API or control topic) or found in a silo's models root.</summary>
    public const string Published = "published";

    /// <summary>A silo validated a version.</summary>
    public const string Validated = "validated";

    /// <summary>A silo rejected a version (the reason says why).</summary>
    public const string Rejected = "rejected";

    /// <summary>A version became the active one.</summary>
    public const string Activated = "activated";

    /// <summary>The active version was rolled back to the one before it.</summary>
    public const string RolledBack = "rolled-back";

    /// <summary>A silo started serving a version (or could not, and says why).</summary>
    public const string Serving = "serving";

    /// <summary>A command was refused (unknown version, not validated, conflicting bytes, malformed record).</summary>
    public const string Refused = "refused";
}
