using MLwatch.Inference.Imaging;

namespace MLwatch.Inference.Models;

/// <summary>One servable model version: its name, version, validated config, class labels and files.</summary>
public sealed class ModelDescriptor
{
    /// <summary>Creates a descriptor; <paramref name="config"/> must already be validated.</summary>
    public ModelDescriptor(ModelConfig config, IReadOnlyList<string> labels, string onnxPath, string? referencePath = null, string? metricsPath = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        Config = config;
        Labels = labels;
        OnnxPath = onnxPath;
        ReferencePath = referencePath;
        MetricsPath = metricsPath;
        Normalizer = new PixelNormalizer(config);
    }

    /// <summary>Model name (the directory name under the models root).</summary>
    public string Name => Config.Name;

    /// <summary>Model version (the sub-directory holding model.onnx).</summary>
    public string Version => Config.Version;

    /// <summary>The validated config.json contents.</summary>
    public ModelConfig Config { get; }

    /// <summary>Class labels in output-index order, from labels.txt.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Full path of the ONNX file: &lt;model dir&gt;/&lt;version&gt;/model.onnx.</summary>
    public string OnnxPath { get; }

    /// <summary>The reference profile in force for this version (its own reference.json, else the model's); null when neither exists.</summary>
    public string? ReferencePath { get; }

    /// <summary>The model card figures in force for this version (its own metrics.json, else the model's); null when neither exists.</summary>
    public string? MetricsPath { get; }

    /// <summary>"{name}@{version}", as statistics and alerts name it.</summary>
    public override string ToString() => $"{Name}@{Version}";

    internal PixelNormalizer Normalizer { get; }

    /// <summary>
    /// Loads the version that <paramref name="modelDirectory"/>'s config.json names (its "version" field), with the
    /// files of its version folder overriding the model's (see <see cref="ModelRepository.LoadVersion"/>); throws
    /// <see cref="ModelConfigurationException"/> on any problem.
    /// </summary>
    public static ModelDescriptor Load(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var configPath = Path.Combine(modelDirectory, ModelRepository.ConfigFile);
        var version = ModelRepository.ReadDefaultVersion(modelDirectory)
            ?? throw new ModelConfigurationException($"{configPath}: 'version' is required, was missing.");
        return ModelRepository.LoadVersion(modelDirectory, version);
    }

    /// <summary>Reads labels.txt: one label per line, surrounding whitespace trimmed, trailing blank lines ignored.</summary>
    public static IReadOnlyList<string> LoadLabels(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelConfigurationException($"{path}: cannot read the labels file ({ex.Message}).", ex);
        }

        var count = lines.Length;
        while (count > 0 && string.IsNullOrWhiteSpace(lines[count - 1]))
        {
            count--;
        }

        if (count == 0)
        {
            throw new ModelConfigurationException($"{path}: the labels file is empty; write one class label per line.");
        }

        var labels = new string[count];
        for (var i = 0; i < count; i++)
        {
            var label = lines[i].Trim();
            if (label.Length == 0)
            {
                throw new ModelConfigurationException($"{path}: line {i + 1} is blank; every class needs a label.");
            }

            labels[i] = label;
        }

        return labels;
    }
}
