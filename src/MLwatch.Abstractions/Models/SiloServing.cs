namespace MLwatch.Abstractions.Models;

/// <summary>Which version of a model one silo serves, as it last reported.</summary>
[GenerateSerializer, Alias("mlwatch.silo-serving")]
public sealed class SiloServing
{
    /// <summary>The version its records are classified with.</summary>
    [Id(0)] public string Version { get; set; } = "";

    /// <summary>Since when.</summary>
    [Id(1)] public DateTimeOffset Since { get; set; }

    /// <summary>Why it serves another version than the active one; null when it serves the active one.</summary>
    [Id(2)] public string? Note { get; set; }
}
