using MLwatch.Inference.Imaging;

namespace MLwatch.Inference.Models;

/// <summary>One servable model: its name, version, validated config, class labels and ONNX file path.</summary>
public sealed class ModelDescriptor
{
    /// <summary>Creates a descriptor; <paramref name="config"/> must already be validated.</summary>
    public ModelDescriptor(ModelConfig config, IReadOnlyList<string> labels, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        Config = config;
        Labels = labels;
        OnnxPath = onnxPath;
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

    internal PixelNormalizer Normalizer { get; }

    /// <summary>Loads config.json and labels.txt from <paramref name="modelDirectory"/>; throws <see cref="ModelConfigurationException"/> on any problem.</summary>
    public static ModelDescriptor Load(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var configPath = Path.Combine(modelDirectory, "config.json");
        var config = ModelConfig.Load(configPath);
        var directoryName = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelDirectory));
        if (!string.Equals(config.Name, directoryName, StringComparison.Ordinal))
        {
            throw new ModelConfigurationException(
                $"{configPath}: 'name' must equal the model directory name \"{directoryName}\", was \"{config.Name}\".");
        }

        var labels = LoadLabels(Path.Combine(modelDirectory, "labels.txt"));
        var onnxPath = Path.Combine(modelDirectory, config.Version, "model.onnx");
        return new ModelDescriptor(config, labels, onnxPath);
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
