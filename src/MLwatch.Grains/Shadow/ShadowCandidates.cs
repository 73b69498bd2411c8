using System.Collections.Immutable;
using MLwatch.Abstractions.Models;
using MLwatch.Grains.Models;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Shadow;

/// <summary>
/// The candidate this silo shadows for each model (see <see cref="Of"/>) among those this silo validated. Set by <see cref="Models.LocalModels"/> whenever it follows a registry; read on every delivery, so it is
/// one immutable map swapped whole.
/// </summary>
public sealed class ShadowCandidates
{
    private ImmutableDictionary<string, ModelDescriptor> _candidates = ImmutableDictionary.Create<string, ModelDescriptor>(StringComparer.Ordinal);

    /// <summary>
    /// The candidate of <paramref name="registry"/>: the highest version in state Candidate that was published (through
    /// the API or the control topic) and passes <paramref name="usable"/>; null when there is none. A version merely
    /// found in the models root at start is not one: shadowing costs an inference per record, so it is asked for by
    /// publishing a version without activating it, never implied by a folder.
    /// </summary>
    public static string? Of(ModelRegistryState registry, Func<string, bool>? usable = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Versions.Values
            .Where(v => v.State == ModelVersionState.Candidate && v.Source != ModelRegistry.RepositorySource)
            .Select(v => v.Version)
            .Order(ModelVersions.Order)
            .LastOrDefault(v => usable?.Invoke(v) ?? true);
    }

    /// <summary>The candidate shadowed beside <paramref name="model"/>'s active version; null when there is none.</summary>
    public ModelDescriptor? For(string model) => _candidates.GetValueOrDefault(model);

    /// <summary>Shadows <paramref name="candidate"/> for <paramref name="model"/> from now on; null stops shadowing it.</summary>
    public void Set(string model, ModelDescriptor? candidate) =>
        ImmutableInterlocked.Update(ref _candidates, map => candidate is null ? map.Remove(model) : map.SetItem(model, candidate));
}
