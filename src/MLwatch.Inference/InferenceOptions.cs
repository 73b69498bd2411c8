using Microsoft.Extensions.Options;

namespace MLwatch.Inference;

/// <summary>Settings for model loading, image limits and ONNX Runtime threading.</summary>
public sealed class InferenceOptions
{
    /// <summary>Default for <see cref="MaxPixels"/>: 4096 * 4096.</summary>
    public const long DefaultMaxPixels = 4096L * 4096;

    /// <summary>Default for <see cref="MaxImageBytes"/>: 16 MiB.</summary>
    public const int DefaultMaxImageBytes = 16 * 1024 * 1024;

    /// <summary>Upper bound for <see cref="MaxPixels"/>, so an RGBA decode buffer fits in one array.</summary>
    public const long MaxPixelsLimit = int.MaxValue / 4;

    /// <summary>Directory holding one sub-directory per model (&lt;root&gt;/&lt;name&gt;/config.json); relative paths resolve against the current directory. Defaults to "models".</summary>
    public string ModelsRoot { get; set; } = "models";

    /// <summary>Name of the model <see cref="Models.ModelCatalog.Default"/> returns; it must exist under <see cref="ModelsRoot"/>. Defaults to "fashion-mnist".</summary>
    public string DefaultModel { get; set; } = "fashion-mnist";

    /// <summary>Largest encoded image accepted, in bytes; larger payloads are rejected as "too-large". Defaults to 16 MiB.</summary>
    public int MaxImageBytes { get; set; } = DefaultMaxImageBytes;

    /// <summary>Largest width * height accepted, checked from the header before decoding ("dimensions-exceed-limit"). Defaults to 4096 * 4096.</summary>
    public long MaxPixels { get; set; } = DefaultMaxPixels;

    /// <summary>ONNX Runtime intra-op threads per session (inter-op is always 1). Defaults to min(2, processor count).</summary>
    public int IntraOpThreads { get; set; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid setting.</summary>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(InferenceOptions), errors);
        }
    }

    /// <summary>Returns one message per invalid setting, naming the setting and its value; empty when valid.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelsRoot))
        {
            errors.Add("InferenceOptions.ModelsRoot is required: set it to the directory holding <name>/config.json model folders.");
        }

        if (string.IsNullOrWhiteSpace(DefaultModel))
        {
            errors.Add("InferenceOptions.DefaultModel is required: set it to the name of a model under ModelsRoot.");
        }

        if (MaxImageBytes <= 0)
        {
            errors.Add($"InferenceOptions.MaxImageBytes must be > 0, was {MaxImageBytes}.");
        }

        if (MaxPixels <= 0 || MaxPixels > MaxPixelsLimit)
        {
            errors.Add($"InferenceOptions.MaxPixels must be between 1 and {MaxPixelsLimit}, was {MaxPixels}.");
        }

        if (IntraOpThreads < 1)
        {
            errors.Add($"InferenceOptions.IntraOpThreads must be >= 1, was {IntraOpThreads}.");
        }

        return errors;
    }
}
