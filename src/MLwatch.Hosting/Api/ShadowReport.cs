using MLwatch.Abstractions.Models;
using MLwatch.Abstractions.Shadow;
using MLwatch.Grains.Shadow;
using MLwatch.Inference.Models;

namespace MLwatch.Hosting.Api;

/// <summary>
/// GET /api/models/{model}/shadow: every shadow comparison of the model's versions, the current one (active version,
/// candidate) first, each in total and per window, with the label names the confusion matrix's indexes stand for.
/// </summary>
internal static class ShadowReport
{
    /// <summary>How many of the newest versions are paired when looking for earlier comparisons (a comparison grain per pair is read).</summary>
    private const int VersionsPaired = 8;

    /// <summary>The candidate that is shadowed and that promote activates (see <see cref="ShadowCandidates.Of"/>).</summary>
    public static string? CandidateOf(ModelRegistryState registry) => ShadowCandidates.Of(registry);

    public static async Task<object> ReadAsync(ModelRegistryState registry, IGrainFactory grains, ModelCatalog catalog, ShadowOptions options)
    {
        var model = registry.Model;
        var candidate = CandidateOf(registry);
        var versions = registry.Versions.Values.Where(v => v.State != ModelVersionState.Rejected).Select(v => v.Version).Order(ModelVersions.Order).TakeLast(VersionsPaired).ToList();
        var current = registry.Active is { } active && candidate is not null ? new ShadowComparisonKey(model, active, candidate) : (ShadowComparisonKey?)null;
        // Earlier comparisons (before a promotion) stay readable: every ordered pair of recent versions is looked at.
        var keys = versions.SelectMany(a => versions.Where(c => c != a).Select(c => new ShadowComparisonKey(model, a, c))).ToList();
        var snapshots = await Task.WhenAll(keys.Select(k => grains.GetGrain<IShadowComparisonGrain>(k.ToString()).GetSnapshotAsync().AsTask()));
        var comparisons = snapshots
            .Where(s => s.Total.Compared > 0 || s.Key == current)
            .OrderByDescending(s => s.Key == current)
            .ThenByDescending(s => s.Key.Active, ModelVersions.Order)
            .ThenByDescending(s => s.Key.Candidate, ModelVersions.Order)
            .Select(s => new
            {
                active = s.Key.Active,
                candidate = s.Key.Candidate,
                current = s.Key == current,
                labels = catalog.TryGet(model, s.Key.Active, out var descriptor) ? descriptor.Labels : null,
                total = s.Total,
                windows = s.Windows,
            });
        return new
        {
            model,
            active = registry.Active,
            candidate,
            shadowing = candidate is not null && options.IsEnabledFor(model),
            windowDuration = options.WindowDuration,
            comparisons,
        };
    }
}
