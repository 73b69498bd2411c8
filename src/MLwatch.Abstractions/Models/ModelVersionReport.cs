namespace MLwatch.Abstractions.Models;

/// <summary>What a silo found when it validated one version of a model (from its models root, or published).</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.model-version-report")]
public sealed record ModelVersionReport(
    [property: Id(0)] string Version,
    [property: Id(1)] string? Sha256,
    [property: Id(2)] bool Passed,
    [property: Id(3)] string? Reason,
    [property: Id(4)] string? Message)
{
    /// <summary>Input name, when it passed.</summary>
    [Id(5)] public string? InputName { get; init; }

    /// <summary>Input shape, when it passed.</summary>
    [Id(6)] public string? InputShape { get; init; }

    /// <summary>Output name, when it passed.</summary>
    [Id(7)] public string? OutputName { get; init; }

    /// <summary>Output shape, when it passed.</summary>
    [Id(8)] public string? OutputShape { get; init; }

    /// <summary>Labels, when it passed.</summary>
    [Id(9)] public int? LabelCount { get; init; }

    /// <summary>The model card's quality metric name.</summary>
    [Id(10)] public string? QualityMetric { get; init; }

    /// <summary>Its value.</summary>
    [Id(11)] public double? QualityValue { get; init; }
}
