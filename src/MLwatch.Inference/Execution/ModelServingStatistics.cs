using System.Collections.Concurrent;
using MLwatch.Inference.Models;

namespace MLwatch.Inference.Execution;

/// <summary>This silo's <see cref="VersionServingStatistics"/> of every model version it served, since it started. Thread-safe.</summary>
public sealed class ModelServingStatistics(TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Model, string Version), VersionServingStatistics> _versions = new();

    /// <summary>Statistics on the system clock.</summary>
    public ModelServingStatistics()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The statistics of <paramref name="model"/>, begun now if it had none.</summary>
    public VersionServingStatistics For(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return For(model.Name, model.Version);
    }

    /// <summary>The statistics of <paramref name="model"/>@<paramref name="version"/>, begun now if it had none.</summary>
    public VersionServingStatistics For(string model, string version) =>
        _versions.GetOrAdd((model, version), static (key, clock) => new VersionServingStatistics(key.Model, key.Version, clock.GetUtcNow()), clock);

    /// <summary>A snapshot of every version served so far.</summary>
    public IReadOnlyList<ServingStatisticsSnapshot> Snapshots() => [.. _versions.Values.Select(v => v.Snapshot())];
}
