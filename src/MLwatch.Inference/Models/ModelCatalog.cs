using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace MLwatch.Inference.Models;

/// <summary>
/// The model versions this process knows, from the models root (<see cref="ModelRepository"/>) and from publishing, and
/// which version of each model it serves now. Lookups by name answer the served (active) version; switching swaps one
/// immutable snapshot, so a reader sees the old version or the new one, never a mix, and a record resolved before the
/// switch keeps the version it was given (its batch runs on that version's session).
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>Name of the directory <see cref="LocateModelsRoot"/> looks for.</summary>
    public const string ModelsDirectoryName = "models";

    private readonly string _defaultModel;
    private readonly Lock _writeGate = new();
    private volatile Snapshot _snapshot;

    /// <summary>
    /// Loads every model under <see cref="InferenceOptions.ModelsRoot"/> with all its versions; throws
    /// <see cref="ModelConfigurationException"/> when a model has no version that loads, or the default model is missing.
    /// Versions that do not load are kept in <see cref="Problems"/> (a silo reports them to the registry as rejected).
    /// </summary>
    public ModelCatalog(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        RootDirectory = Path.GetFullPath(options.ModelsRoot);
        if (!Directory.Exists(RootDirectory))
        {
            throw new ModelConfigurationException(
                $"{RootDirectory}: models root does not exist; set InferenceOptions.ModelsRoot to the directory holding <name>/config.json.");
        }

        var models = ImmutableSortedDictionary.CreateBuilder<string, Model>(StringComparer.Ordinal);
        var problems = new List<ModelVersionProblem>();
        foreach (var directory in Directory.EnumerateDirectories(RootDirectory).Order(StringComparer.Ordinal).Where(ModelRepository.IsModelDirectory))
        {
            var scan = ModelRepository.Scan(directory);
            if (scan.Versions.Count == 0)
            {
                var first = scan.Problems.FirstOrDefault();
                throw new ModelConfigurationException(first?.Reason ?? $"{directory}: model '{scan.Name}' has no version folder with a {ModelRepository.OnnxFile}.");
            }

            problems.AddRange(scan.Problems);
            var versions = scan.Versions.ToImmutableSortedDictionary(v => v.Version, v => v, ModelVersions.Order);
            var active = scan.DefaultVersion is { } configured && versions.TryGetValue(configured, out var named) ? named : versions.Values.Last();
            models[scan.Name] = new Model(versions, active, scan.DefaultVersion);
        }

        if (!models.ContainsKey(options.DefaultModel))
        {
            var available = models.Count == 0 ? "none" : string.Join(", ", models.Keys);
            throw new ModelConfigurationException(
                $"{RootDirectory}: default model '{options.DefaultModel}' (InferenceOptions.DefaultModel) not found; models present: {available}.");
        }

        _defaultModel = options.DefaultModel;
        _snapshot = new Snapshot(models.ToImmutable());
        Problems = problems;
    }

    /// <summary>Absolute path of the models root.</summary>
    public string RootDirectory { get; }

    /// <summary>The served version of the model named by <see cref="InferenceOptions.DefaultModel"/>.</summary>
    public ModelDescriptor Default => _snapshot.Models[_defaultModel].Active;

    /// <summary>The served version of every model, ordered by name.</summary>
    public IReadOnlyList<ModelDescriptor> All => _snapshot.Served;

    /// <summary>Names of every model, ordered.</summary>
    public IReadOnlyList<string> Names => [.. _snapshot.Models.Keys];

    /// <summary>Versions found in the models root at start that could not be loaded, and why.</summary>
    public IReadOnlyList<ModelVersionProblem> Problems { get; }

    /// <summary>Looks the served version of a model up by name (ordinal, case-sensitive).</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(name);
        model = _snapshot.Models.TryGetValue(name, out var entry) ? entry.Active : null;
        return model is not null;
    }

    /// <summary>Looks one version of a model up, served or not.</summary>
    public bool TryGet(string name, string version, [MaybeNullWhen(false)] out ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(version);
        model = _snapshot.Models.TryGetValue(name, out var entry) && entry.Versions.TryGetValue(version, out var found) ? found : null;
        return model is not null;
    }

    /// <summary>Every known version of <paramref name="name"/>, in version order; empty for an unknown model.</summary>
    public IReadOnlyList<ModelDescriptor> Versions(string name) =>
        _snapshot.Models.TryGetValue(name, out var entry) ? [.. entry.Versions.Values] : [];

    /// <summary>The version the model's config.json names as served by default (null: the highest).</summary>
    public string? ConfiguredVersion(string name) => _snapshot.Models.TryGetValue(name, out var entry) ? entry.ConfiguredVersion : null;

    /// <summary>
    /// Adds (or replaces) a version. A version of a model not known yet makes the model known and served by that version;
    /// otherwise the served version stays what it was (see <see cref="Activate"/>).
    /// </summary>
    public void Add(ModelDescriptor version)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_writeGate)
        {
            var models = _snapshot.Models;
            var entry = models.TryGetValue(version.Name, out var known)
                ? known with { Versions = known.Versions.SetItem(version.Version, version), Active = known.Active.Version == version.Version ? version : known.Active }
                : new Model(ImmutableSortedDictionary.Create<string, ModelDescriptor>(ModelVersions.Order).Add(version.Version, version), version, null);
            _snapshot = new Snapshot(models.SetItem(version.Name, entry));
        }
    }

    /// <summary>Removes a version that is not served (a rejected one); false when it is unknown or served.</summary>
    public bool Remove(string name, string version)
    {
        lock (_writeGate)
        {
            if (!_snapshot.Models.TryGetValue(name, out var entry) || entry.Active.Version == version || !entry.Versions.ContainsKey(version))
            {
                return false;
            }

            _snapshot = new Snapshot(_snapshot.Models.SetItem(name, entry with { Versions = entry.Versions.Remove(version) }));
            return true;
        }
    }

    /// <summary>
    /// Makes <paramref name="version"/> the served version of <paramref name="name"/>: records read from now on get it.
    /// Returns the version served before, or null when the model or version is unknown (nothing changes then).
    /// </summary>
    public ModelDescriptor? Activate(string name, string version)
    {
        lock (_writeGate)
        {
            if (!_snapshot.Models.TryGetValue(name, out var entry) || !entry.Versions.TryGetValue(version, out var next))
            {
                return null;
            }

            _snapshot = new Snapshot(_snapshot.Models.SetItem(name, entry with { Active = next }));
            return entry.Active;
        }
    }

    /// <summary>
    /// Finds the repository's models directory by walking up from <paramref name="startDirectory"/>
    /// (default <see cref="AppContext.BaseDirectory"/>); returns null when no ancestor has one. For tests and the demo.
    /// </summary>
    public static string? LocateModelsRoot(string? startDirectory = null)
    {
        for (var directory = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, ModelsDirectoryName);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private sealed record Model(ImmutableSortedDictionary<string, ModelDescriptor> Versions, ModelDescriptor Active, string? ConfiguredVersion);

    private sealed class Snapshot(ImmutableSortedDictionary<string, Model> models)
    {
        public ImmutableSortedDictionary<string, Model> Models { get; } = models;

        public IReadOnlyList<ModelDescriptor> Served { get; } = [.. models.Values.Select(m => m.Active)];
    }
}
