namespace MLwatch.Abstractions.Models;

/// <summary>One version of a model as its registry knows it: metadata, state and what each silo found.</summary>
[GenerateSerializer, Alias("mlwatch.model-version-entry")]
public sealed class ModelVersionEntry
{
    /// <summary>The version name (its folder name: "2").</summary>
    [Id(0)] public string Version { get; set; } = "";

    /// <summary>Where the version stands.</summary>
    [Id(1)] public ModelVersionState State { get; set; }

    /// <summary>Why it is in that state (a rejection's message, who rolled it back); null when nothing needs saying.</summary>
    [Id(2)] public string? StateReason { get; set; }

    /// <summary>When the registry first heard of it.</summary>
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Where it came from: "repository", "api", "control-topic", or what the publisher wrote.</summary>
    [Id(4)] public string Source { get; set; } = "";

    /// <summary>Who published it; null when found in a models root.</summary>
    [Id(5)] public string? PublishedBy { get; set; }

    /// <summary>SHA-256 of the ONNX bytes (lower-case hex); null until a silo has read them.</summary>
    [Id(6)] public string? Sha256 { get; set; }

    /// <summary>Name of the graph's input; null until validated.</summary>
    [Id(7)] public string? InputName { get; set; }

    /// <summary>Shape of the graph's input ("[N, 1, 28, 28]"); null until validated.</summary>
    [Id(8)] public string? InputShape { get; set; }

    /// <summary>Name of the graph's output; null until validated.</summary>
    [Id(9)] public string? OutputName { get; set; }

    /// <summary>Shape of the graph's output ("[N, 10]"); null until validated.</summary>
    [Id(10)] public string? OutputShape { get; set; }

    /// <summary>Labels in its labels.txt; null until validated.</summary>
    [Id(11)] public int? LabelCount { get; set; }

    /// <summary>The model card's quality metric (from metrics.json: test_accuracy, else accuracy, else val_accuracy); null without one.</summary>
    [Id(12)] public string? QualityMetric { get; set; }

    /// <summary>Its value.</summary>
    [Id(13)] public double? QualityValue { get; set; }

    /// <summary>Whether the version becomes active as soon as a silo has validated it (the publisher's choice).</summary>
    [Id(14)] public bool ActivateWhenValidated { get; set; }

    /// <summary>What each silo found, by silo address.</summary>
    [Id(15)] public Dictionary<string, SiloVersionReport> Silos { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When it last became active; null if never.</summary>
    [Id(16)] public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>When it was last replaced as the active version; null if never.</summary>
    [Id(17)] public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>
    /// Whether supervision rolled it back (a bound of Monitoring:Supervision was passed): it is never made active again
    /// automatically (not at start, not as the highest validated version), only by hand.
    /// </summary>
    [Id(18)] public bool RolledBackAutomatically { get; set; }
}
