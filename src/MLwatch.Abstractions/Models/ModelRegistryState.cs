namespace MLwatch.Abstractions.Models;

/// <summary>
/// The registry of one model, as persisted and as <see cref="IModelRegistryGrain.GetAsync"/> answers it (a copy): its
/// versions, the active one and the ones active before it, which version each silo serves, the control records applied
/// and the history.
/// </summary>
[GenerateSerializer, Alias("mlwatch.model-registry-state")]
public sealed class ModelRegistryState
{
    /// <summary>How many events the history keeps (oldest dropped first).</summary>
    public const int EventsKept = 500;

    /// <summary>The model name.</summary>
    [Id(0)] public string Model { get; set; } = "";

    /// <summary>Counts every change; a silo ignores an answer older than one it has acted on.</summary>
    [Id(1)] public long Revision { get; set; }

    /// <summary>Every version, by name.</summary>
    [Id(2)] public Dictionary<string, ModelVersionEntry> Versions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The versions made active, oldest first; the last is the active one, the one before it what a rollback returns to.</summary>
    [Id(3)] public List<string> Activations { get; set; } = [];

    /// <summary>Which version each silo serves, by silo address.</summary>
    [Id(4)] public Dictionary<string, SiloServing> Silos { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per "topic/partition" of the control topic, the highest offset applied: replays of control records are ignored.</summary>
    [Id(5)] public Dictionary<string, long> ControlApplied { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The history, oldest first, at most <see cref="EventsKept"/>.</summary>
    [Id(6)] public List<ModelRegistryEvent> Events { get; set; } = [];

    /// <summary>The active version; null before any version was validated.</summary>
    public string? Active => Activations.Count > 0 ? Activations[^1] : null;

    /// <summary>The version a rollback returns to; null when there is none.</summary>
    public string? Previous => Activations.Count > 1 ? Activations[^2] : null;
}
