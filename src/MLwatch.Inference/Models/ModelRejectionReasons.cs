namespace MLwatch.Inference.Models;

/// <summary>Reason codes of a model version that is not served, beside a message saying what to fix.</summary>
public static class ModelRejectionReasons
{
    /// <summary>config.json or labels.txt is missing, malformed or inconsistent.</summary>
    public const string InvalidFiles = "invalid-files";

    /// <summary>ONNX Runtime cannot load the graph (truncated or corrupt bytes, an unsupported operator).</summary>
    public const string Unloadable = "onnx-unloadable";

    /// <summary>The graph's input is not what config.json describes (name, element type, rank or shape).</summary>
    public const string InputMismatch = "input-mismatch";

    /// <summary>The graph's output is not what config.json describes (name, element type or rank).</summary>
    public const string OutputMismatch = "output-mismatch";

    /// <summary>The output width differs from the number of labels in labels.txt.</summary>
    public const string LabelCountMismatch = "label-count-mismatch";

    /// <summary>The smoke batch could not run.</summary>
    public const string SmokeBatchFailed = "smoke-batch-failed";

    /// <summary>The smoke batch gave NaN or infinite outputs.</summary>
    public const string NonFiniteOutput = "non-finite-output";
}
