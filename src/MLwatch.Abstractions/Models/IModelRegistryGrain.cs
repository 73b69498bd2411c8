using Orleans.Concurrency;

namespace MLwatch.Abstractions.Models;

/// <summary>
/// The registry of one model (key = model name): its versions with metadata and state, the active version, which
/// version each silo serves, and the history. Every silo follows it; it is fed by the control records of the models
/// topic (which the HTTP API writes too) and by what silos report after validating.
/// </summary>
public interface IModelRegistryGrain : IGrainWithStringKey
{
    /// <summary>The registry now (a copy); served from memory even while a write waits for storage.</summary>
    [AlwaysInterleave]
    Task<ModelRegistryState> GetAsync();

    /// <summary>Applies a control record unless one at or after its position was applied already; returns the registry afterwards.</summary>
    Task<ModelRegistryState> ApplyControlAsync(ModelControlCommand command);

    /// <summary>
    /// Records what <paramref name="silo"/> found when it validated versions. <paramref name="repository"/>: they are
    /// the versions of its models root at start (unknown ones are registered, and when no version is active yet
    /// <paramref name="preferredVersion"/> — else the highest validated — becomes active). Returns the registry afterwards.
    /// </summary>
    Task<ModelRegistryState> ReportAsync(string silo, ModelVersionReport[] reports, bool repository, string? preferredVersion);

    /// <summary>Records which version <paramref name="silo"/> serves now, and why when it is not the active one.</summary>
    Task ReportServingAsync(string silo, string version, string? note);
}
