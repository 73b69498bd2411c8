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

    /// <summary>
    /// Threads of the silo's inference executor that decode, resize and normalize images, apart from ONNX Runtime's.
    /// Together with <see cref="IntraOpThreads"/> they are the silo's inference thread budget. Defaults to half the
    /// processors (at least 1).
    /// </summary>
    public int DecodeWorkers { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>ONNX Runtime intra-op threads per session. Defaults to the processors left by <see cref="DecodeWorkers"/>'s default (at least 1).</summary>
    public int IntraOpThreads { get; set; } = Math.Max(1, Environment.ProcessorCount - Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>ONNX Runtime inter-op threads per session (parallel branches of a graph; 1 runs them in sequence). Defaults to 1.</summary>
    public int InterOpThreads { get; set; } = 1;

    /// <summary>ONNX Runtime graph optimization level: None, Basic, Extended or All. Defaults to All.</summary>
    public string GraphOptimization { get; set; } = "All";

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin after their work instead of sleeping at once. Spinning shaves
    /// microseconds off a run when nothing else needs the processor, and steals it from decode workers, Kafka and
    /// Orleans when they do, as in a silo. Defaults to false.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Whether ONNX Runtime keeps a memory arena per session (faster runs, memory held between them). Defaults to true.</summary>
    public bool EnableMemoryArena { get; set; } = true;

    /// <summary>Images the executor accepts ahead of its decode workers; callers wait while it is full. Defaults to 4096.</summary>
    public int QueueCapacity { get; set; } = 4096;

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

        if (DecodeWorkers < 1)
        {
            errors.Add($"InferenceOptions.DecodeWorkers must be >= 1, was {DecodeWorkers}.");
        }

        if (InterOpThreads < 1)
        {
            errors.Add($"InferenceOptions.InterOpThreads must be >= 1, was {InterOpThreads}.");
        }

        if (!Enum.TryParse<Microsoft.ML.OnnxRuntime.GraphOptimizationLevel>("ORT_ENABLE_" + GraphOptimization, ignoreCase: true, out _) &&
            !string.Equals(GraphOptimization, "None", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"InferenceOptions.GraphOptimization must be None, Basic, Extended or All, was '{GraphOptimization}'.");
        }

        if (QueueCapacity < 1)
        {
            errors.Add($"InferenceOptions.QueueCapacity must be >= 1, was {QueueCapacity}.");
        }

        return errors;
    }
}
