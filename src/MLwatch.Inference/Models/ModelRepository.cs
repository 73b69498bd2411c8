using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLwatch.Inference.Models;

/// <summary>
/// Reads the model repository, Triton-style: <c>&lt;root&gt;/&lt;model&gt;/&lt;version&gt;/model.onnx</c>, each version
/// folder optionally with its own config.json, labels.txt, reference.json and metrics.json; the model folder's files
/// are the defaults a version does not override (a version's config.json holds only the fields that differ, e.g. its
/// calibration "temperature"). The model's config.json "version" names the version served while no registry has
/// chosen one; without it, the highest version is.
/// </summary>
public static class ModelRepository
{
    /// <summary>The model's (or a version's) config file.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>Class labels, one per line, in output order.</summary>
    public const string LabelsFile = "labels.txt";

    /// <summary>The reference profile of held-out predictions, for drift.</summary>
    public const string ReferenceFile = "reference.json";

    /// <summary>Model card figures (test accuracy and such).</summary>
    public const string MetricsFile = "metrics.json";

    /// <summary>The ONNX graph of a version.</summary>
    public const string OnnxFile = "model.onnx";

    private static readonly JsonDocumentOptions JsonReading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// Every version of the model in <paramref name="modelDirectory"/>: each sub-folder holding a model.onnx (folders whose
    /// name is no valid version, or starting with '.', are skipped), loaded or with the reason it cannot be. A model folder
    /// with a config.json but no version folder yet is read as today's single-version layout: the version its config names.
    /// </summary>
    public static ModelScan Scan(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelDirectory));
        var hasModelConfig = File.Exists(Path.Combine(modelDirectory, ConfigFile));
        var versionNames = Directory.EnumerateDirectories(modelDirectory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(v => ModelVersions.IsValidName(v) && File.Exists(Path.Combine(modelDirectory, v, OnnxFile)))
            .Order(ModelVersions.Order)
            .ToList();
        string? defaultVersion = null;
        var problems = new List<ModelVersionProblem>();
        if (hasModelConfig)
        {
            try
            {
                defaultVersion = ReadDefaultVersion(modelDirectory);
            }
            catch (ModelConfigurationException exception)
            {
                problems.Add(new ModelVersionProblem(name, "", exception.Message));
            }

            if (versionNames.Count == 0 && defaultVersion is not null)
            {
                versionNames.Add(defaultVersion);
            }
        }

        var versions = new List<ModelDescriptor>();
        foreach (var version in versionNames)
        {
            try
            {
                versions.Add(LoadVersion(modelDirectory, version));
            }
            catch (ModelConfigurationException exception)
            {
                problems.Add(new ModelVersionProblem(name, version, exception.Message));
            }
        }

        return new ModelScan(name, defaultVersion, versions, problems);
    }

    /// <summary>True when <paramref name="directory"/> is a model folder: it has a config.json, or a version folder that has one beside its model.onnx.</summary>
    public static bool IsModelDirectory(string directory) =>
        File.Exists(Path.Combine(directory, ConfigFile)) ||
        Directory.EnumerateDirectories(directory).Any(v => File.Exists(Path.Combine(v, OnnxFile)) && File.Exists(Path.Combine(v, ConfigFile)));

    /// <summary>
    /// Loads version <paramref name="version"/> of the model in <paramref name="modelDirectory"/>: the model's config.json
    /// with the version's own config.json laid over it (field by field), the version's labels.txt or else the model's,
    /// and the reference and metrics files in force. Throws <see cref="ModelConfigurationException"/> naming the file
    /// and field at fault.
    /// </summary>
    public static ModelDescriptor LoadVersion(string modelDirectory, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentException.ThrowIfNullOrEmpty(version);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelDirectory));
        var versionDirectory = Path.Combine(modelDirectory, version);
        var modelConfigPath = Path.Combine(modelDirectory, ConfigFile);
        var versionConfigPath = Path.Combine(versionDirectory, ConfigFile);
        if (!ModelVersions.IsValidName(version))
        {
            throw new ModelConfigurationException($"{versionDirectory}: '{version}' is not a version name ({ModelVersions.NameRule}).");
        }

        var merged = ReadObject(modelConfigPath) ?? [];
        var source = File.Exists(modelConfigPath) ? modelConfigPath : versionConfigPath;
        if (ReadObject(versionConfigPath) is { } overrides)
        {
            if (overrides.TryGetPropertyValue("version", out var stated) && stated?.ToString() != version)
            {
                throw new ModelConfigurationException($"{versionConfigPath}: 'version' must equal its folder name \"{version}\" (or be left out), was \"{stated}\".");
            }

            foreach (var (field, value) in overrides)
            {
                merged[field] = value?.DeepClone();
            }

            source = File.Exists(modelConfigPath) ? $"{modelConfigPath} + {versionConfigPath}" : versionConfigPath;
        }

        if (merged.Count == 0)
        {
            throw new ModelConfigurationException($"{modelConfigPath}: no config.json for model '{name}' nor for its version '{version}'; write one of them.");
        }

        merged["version"] = version;
        var config = ModelConfig.Parse(merged.ToJsonString(), source);
        if (!string.Equals(config.Name, name, StringComparison.Ordinal))
        {
            throw new ModelConfigurationException($"{source}: 'name' must equal the model directory name \"{name}\", was \"{config.Name}\".");
        }

        var labels = ModelDescriptor.LoadLabels(InForce(modelDirectory, version, LabelsFile) ?? Path.Combine(modelDirectory, LabelsFile));
        return new ModelDescriptor(
            config,
            labels,
            Path.Combine(versionDirectory, OnnxFile),
            InForce(modelDirectory, version, ReferenceFile),
            InForce(modelDirectory, version, MetricsFile));
    }

    /// <summary>The "version" field of the model's config.json (the version served by default); null when the file or the field is absent.</summary>
    public static string? ReadDefaultVersion(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, ConfigFile);
        if (ReadObject(path) is not { } config || !config.TryGetPropertyValue("version", out var version) || version is null)
        {
            return null;
        }

        var text = version.GetValueKind() == JsonValueKind.String ? version.GetValue<string>() : version.ToJsonString();
        if (!ModelVersions.IsValidName(text))
        {
            throw new ModelConfigurationException($"{path}: 'version' must be a version name ({ModelVersions.NameRule}), was {version.ToJsonString()}.");
        }

        return text;
    }

    /// <summary>The version's own <paramref name="file"/> if it has one, else the model's; null when neither exists.</summary>
    private static string? InForce(string modelDirectory, string version, string file)
    {
        var own = Path.Combine(modelDirectory, version, file);
        if (File.Exists(own))
        {
            return own;
        }

        var shared = Path.Combine(modelDirectory, file);
        return File.Exists(shared) ? shared : null;
    }

    private static JsonObject? ReadObject(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelConfigurationException($"{path}: cannot read the model config ({ex.Message}).", ex);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: JsonReading);
        }
        catch (JsonException ex)
        {
            throw new ModelConfigurationException($"{path}: invalid JSON: {ex.Message}", ex);
        }

        return node as JsonObject ?? throw new ModelConfigurationException($"{path}: expected a JSON object, found {node?.GetValueKind().ToString() ?? "null"}.");
    }
}

/// <summary>What the repository holds for one model: its versions that load, those that do not (with why), and its default version.</summary>
/// <param name="Name">The model name (its folder name).</param>
/// <param name="DefaultVersion">The version its config.json names, served while no registry has chosen one; null: the highest.</param>
/// <param name="Versions">The versions that load, in version order.</param>
/// <param name="Problems">The versions (or the model's config, with an empty version) that do not, and why.</param>
public sealed record ModelScan(string Name, string? DefaultVersion, IReadOnlyList<ModelDescriptor> Versions, IReadOnlyList<ModelVersionProblem> Problems);

/// <summary>A version of a model that cannot be loaded, and the reason (naming the file and field at fault).</summary>
public sealed record ModelVersionProblem(string Model, string Version, string Reason);
