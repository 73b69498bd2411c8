using System.Collections.Concurrent;
using MLwatch.Inference.Models;
using MLwatch.Monitoring.Reference;

namespace MLwatch.Grains.Monitoring;

/// <summary>
/// The reference profile of each model version (its own &lt;version&gt;/reference.json, else the model's
/// models/&lt;name&gt;/reference.json), loaded once per silo.
/// </summary>
public sealed class ReferenceProfiles
{
    /// <summary>The file name of a reference profile, beside a config.json.</summary>
    public const string FileName = ModelRepository.ReferenceFile;

    private readonly ConcurrentDictionary<string, ReferenceLookup> _byModel = new(StringComparer.Ordinal);

    /// <summary>The profile of <paramref name="model"/>, or null with the reason monitoring runs without one.</summary>
    public ReferenceLookup Get(ModelDescriptor model) => _byModel.GetOrAdd($"{model.Name}@{model.Version}", _ => Load(model));

    private ReferenceLookup Load(ModelDescriptor model)
    {
        if (model.ReferencePath is not { } path)
        {
            return new ReferenceLookup(null, $"no reference profile: neither {Path.GetDirectoryName(model.OnnxPath)} nor its model folder has a {FileName}, so windows are counted but not compared. The model's build script writes it from held-out data.");
        }

        ReferenceProfile profile;
        try
        {
            profile = ReferenceProfileReader.Load(path);
        }
        catch (ReferenceProfileException exception)
        {
            return new ReferenceLookup(null, $"reference profile unusable: {exception.Message}");
        }

        if (profile.Version != model.Version)
        {
            return new ReferenceLookup(null, $"reference profile {path} describes version {profile.Version}, but version {model.Version} is served; rebuild it for the served version.");
        }

        if (!profile.Labels.Select(l => l.Label).SequenceEqual(model.Labels, StringComparer.Ordinal))
        {
            return new ReferenceLookup(null, $"reference profile {path} lists other labels than the model's labels.txt; rebuild it.");
        }

        return new ReferenceLookup(profile, $"{path} ({profile.Count} held-out predictions, accuracy {profile.Accuracy:F4})");
    }
}

/// <summary>A model version's reference profile, or why there is none.</summary>
public sealed record ReferenceLookup(ReferenceProfile? Profile, string Description);
