using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace MLwatch.Inference.Models;

/// <summary>The contents of a model's config.json: tensor names, input geometry, normalization and output kind.</summary>
public sealed record ModelConfig
{
    /// <summary>Layout value for channels-first tensors ([N, C, H, W]).</summary>
    public const string LayoutNchw = "NCHW";

    /// <summary>Layout value for channels-last tensors ([N, H, W, C]).</summary>
    public const string LayoutNhwc = "NHWC";

    /// <summary>Output kind for raw scores; softmax is applied to them.</summary>
    public const string OutputLogits = "logits";

    /// <summary>Output kind for scores that already sum to one.</summary>
    public const string OutputProbabilities = "probabilities";

    /// <summary>Largest accepted value for <see cref="Width"/> and <see cref="Height"/>.</summary>
    public const int MaxInputSide = 4096;

    /// <summary>Largest accepted value for <see cref="MaxBatchSize"/>.</summary>
    public const int MaxBatchSizeLimit = 4096;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Model name; must equal the model's directory name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Model version; the ONNX file lives at &lt;model dir&gt;/&lt;version&gt;/model.onnx.</summary>
    public string Version { get; init; } = "";

    /// <summary>Name of the ONNX input tensor.</summary>
    public string InputName { get; init; } = "";

    /// <summary>Name of the ONNX output tensor.</summary>
    public string OutputName { get; init; } = "";

    /// <summary>Input tensor layout: <c>NCHW</c> or <c>NHWC</c>.</summary>
    public string Layout { get; init; } = "";

    /// <summary>Input width in pixels.</summary>
    public int Width { get; init; }

    /// <summary>Input height in pixels.</summary>
    public int Height { get; init; }

    /// <summary>Input channels: 1 (grayscale, luma) or 3 (RGB).</summary>
    public int Channels { get; init; }

    /// <summary>Divisor applied to 8-bit pixel values before mean/std normalization (usually 255).</summary>
    public float Scale { get; init; }

    /// <summary>Per-channel mean subtracted after scaling; one entry per channel.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [];

    /// <summary>Per-channel standard deviation divided by after mean subtraction; one entry per channel.</summary>
    public IReadOnlyList<float> Std { get; init; } = [];

    /// <summary>What the output tensor holds: <c>logits</c> (softmax applied) or <c>probabilities</c>.</summary>
    public string OutputKind { get; init; } = "";

    /// <summary>Largest batch sent to the model in one run.</summary>
    public int MaxBatchSize { get; init; }

    /// <summary>
    /// How long the dynamic batcher waits, after the oldest queued image, for a batch to fill before running it anyway
    /// ("maxQueueDelayMs", Triton's max_queue_delay_microseconds). Defaults to 1 ms.
    /// </summary>
    public double MaxQueueDelayMs { get; init; } = 1;

    /// <summary>
    /// Calibration temperature T for logits: confidences are softmax(logits / T). Fitted on held-out data by the
    /// model's build script (temperature scaling), so a confidence of 0.9 means right about 90% of the time. Defaults to 1.
    /// </summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>True when the input tensor is channels-last (NHWC).</summary>
    public bool IsChannelsLast => Layout == LayoutNhwc;

    /// <summary>True when softmax must be applied to the model output.</summary>
    public bool OutputIsLogits => OutputKind == OutputLogits;

    /// <summary>Number of floats one preprocessed image occupies (width * height * channels).</summary>
    public int ImageTensorLength => Width * Height * Channels;

    /// <summary>Reads, deserializes and validates a config.json file.</summary>
    public static ModelConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelConfigurationException($"{path}: cannot read the model config ({ex.Message}).", ex);
        }

        return Parse(json, path);
    }

    /// <summary>Deserializes and validates config JSON; <paramref name="sourcePath"/> is used in error messages.</summary>
    public static ModelConfig Parse(string json, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(json);
        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is null ? "" : $" at '{ex.Path.TrimStart('$', '.')}'";
            throw new ModelConfigurationException($"{sourcePath}: invalid JSON{where}: {ex.Message}", ex);
        }

        if (config is null)
        {
            throw new ModelConfigurationException($"{sourcePath}: the file holds JSON null, expected a config object.");
        }

        config.Validate(sourcePath);
        return config;
    }

    /// <summary>Throws <see cref="ModelConfigurationException"/> naming <paramref name="sourcePath"/> and the first invalid field.</summary>
    public void Validate(string sourcePath)
    {
        RequireText(sourcePath, "name", Name);
        RequireText(sourcePath, "version", Version);
        if (Version.IndexOfAny(['/', '\\']) >= 0 || Version is "." or "..")
        {
            Fail(sourcePath, "version", "must be a plain directory name", Quote(Version));
        }

        RequireText(sourcePath, "inputName", InputName);
        RequireText(sourcePath, "outputName", OutputName);
        if (Layout is not (LayoutNchw or LayoutNhwc))
        {
            Fail(sourcePath, "layout", $"must be \"{LayoutNchw}\" or \"{LayoutNhwc}\"", Quote(Layout));
        }

        RequireRange(sourcePath, "width", Width, 1, MaxInputSide);
        RequireRange(sourcePath, "height", Height, 1, MaxInputSide);
        if (Channels is not (1 or 3))
        {
            Fail(sourcePath, "channels", "must be 1 or 3", Channels.ToString(CultureInfo.InvariantCulture));
        }

        if (!float.IsFinite(Scale) || Scale <= 0)
        {
            Fail(sourcePath, "scale", "must be a finite number > 0", Scale.ToString(CultureInfo.InvariantCulture));
        }

        RequirePerChannel(sourcePath, "mean", Mean, mustBePositive: false);
        RequirePerChannel(sourcePath, "std", Std, mustBePositive: true);
        if (OutputKind is not (OutputLogits or OutputProbabilities))
        {
            Fail(sourcePath, "outputKind", $"must be \"{OutputLogits}\" or \"{OutputProbabilities}\"", Quote(OutputKind));
        }

        RequireRange(sourcePath, "maxBatchSize", MaxBatchSize, 1, MaxBatchSizeLimit);
        if (!double.IsFinite(MaxQueueDelayMs) || MaxQueueDelayMs < 0 || MaxQueueDelayMs > 1000)
        {
            Fail(sourcePath, "maxQueueDelayMs", "must be between 0 and 1000", MaxQueueDelayMs.ToString(CultureInfo.InvariantCulture));
        }

        if (!float.IsFinite(Temperature) || Temperature <= 0)
        {
            Fail(sourcePath, "temperature", "must be a finite number > 0", Temperature.ToString(CultureInfo.InvariantCulture));
        }
    }

    private void RequirePerChannel(string sourcePath, string field, IReadOnlyList<float>? values, bool mustBePositive)
    {
        var count = values?.Count ?? 0;
        if (values is null || count != Channels)
        {
            Fail(sourcePath, field, $"must have one entry per channel ({Channels})", $"{count} entries");
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (!float.IsFinite(value) || (mustBePositive && value <= 0))
            {
                var rule = mustBePositive ? "must be finite and > 0" : "must be finite";
                Fail(sourcePath, $"{field}[{i}]", rule, value.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private static void RequireText(string sourcePath, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Fail(sourcePath, field, "is required", value is null ? "missing" : Quote(value));
        }
    }

    private static void RequireRange(string sourcePath, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Fail(sourcePath, field, $"must be between {min} and {max}", value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string Quote(string? value) => value is null ? "missing" : $"\"{value}\"";

    [DoesNotReturn]
    private static void Fail(string sourcePath, string field, string rule, string actual) =>
        throw new ModelConfigurationException($"{sourcePath}: '{field}' {rule}, was {actual}.");
}
