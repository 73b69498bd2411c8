using MLwatch.Abstractions.Models;
using MLwatch.Abstractions.Monitoring;

namespace MLwatch.Query;

/// <summary>
/// One version of a model as the dashboard shows it: its life in the registry (<paramref name="Entry"/>, its
/// <paramref name="Events"/> newest first), whether it is the active one, what it served on every silo and its drift
/// monitor (accuracy, drift, alerts).
/// </summary>
public sealed record ModelVersionView(
    ModelVersionEntry Entry,
    bool IsActive,
    IReadOnlyList<ModelRegistryEvent> Events,
    ModelServingStats Serving,
    ModelDriftSnapshot Drift);
