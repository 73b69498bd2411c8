using System.Diagnostics.CodeAnalysis;

namespace MLwatch.Inference.Models;

/// <summary>The models found under a models root: every &lt;root&gt;/&lt;name&gt;/config.json, loaded and validated at construction.</summary>
public sealed class ModelCatalog
{
    /// <summary>Name of the directory <see cref="LocateModelsRoot"/> looks for.</summary>
    public const string ModelsDirectoryName = "models";

    private readonly Dictionary<string, ModelDescriptor> _models;

    /// <summary>Loads every model under <see cref="InferenceOptions.ModelsRoot"/>; throws <see cref="ModelConfigurationException"/> if any is invalid or the default is missing.</summary>
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

        _models = new Dictionary<string, ModelDescriptor>(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(RootDirectory).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(directory, "config.json")))
            {
                var model = ModelDescriptor.Load(directory);
                _models.Add(model.Name, model);
            }
        }

        All = [.. _models.Values];
        if (!_models.TryGetValue(options.DefaultModel, out var defaultModel))
        {
            var available = _models.Count == 0 ? "none" : string.Join(", ", _models.Keys);
            throw new ModelConfigurationException(
                $"{RootDirectory}: default model '{options.DefaultModel}' (InferenceOptions.DefaultModel) not found; models present: {available}.");
        }

        Default = defaultModel;
    }

    /// <summary>Absolute path of the models root.</summary>
    public string RootDirectory { get; }

    /// <summary>The model named by <see cref="InferenceOptions.DefaultModel"/>.</summary>
    public ModelDescriptor Default { get; }

    /// <summary>Every model, ordered by name.</summary>
    public IReadOnlyList<ModelDescriptor> All { get; }

    /// <summary>Looks a model up by name (ordinal, case-sensitive).</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _models.TryGetValue(name, out model);
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
}
