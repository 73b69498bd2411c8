using System.Collections.Immutable;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Shadow;

/// <summary>
/// The candidate this silo shadows for each model: the highest version its registry holds as Candidate that this silo
/// validated. Set by <see cref="Models.LocalModels"/> whenever it follows a registry; read on every delivery, so it is
/// one immutable map swapped whole.
/// </summary>
public sealed class ShadowCandidates
{
    private ImmutableDictionary<string, ModelDescriptor> _candidates = ImmutableDictionary.Create<string, ModelDescriptor>(StringComparer.Ordinal);

    /// <summary>The candidate shadowed beside <paramref name="model"/>'s active version; null when there is none.</summary>
    public ModelDescriptor? For(string model) => _candidates.GetValueOrDefault(model);

    /// <summary>Shadows <paramref name="candidate"/> for <paramref name="model"/> from now on; null stops shadowing it.</summary>
    public void Set(string model, ModelDescriptor? candidate) =>
        ImmutableInterlocked.Update(ref _candidates, map => candidate is null ? map.Remove(model) : map.SetItem(model, candidate));
}
