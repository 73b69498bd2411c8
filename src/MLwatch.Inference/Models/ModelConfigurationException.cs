namespace MLwatch.Inference.Models;

/// <summary>Thrown when a model's config.json, labels.txt or ONNX file is missing, malformed or inconsistent.</summary>
public sealed class ModelConfigurationException : Exception
{
    /// <summary>Creates the exception with a message that names the offending file and field.</summary>
    public ModelConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ModelConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a reason code from <see cref="ModelRejectionReasons"/> and a message naming the file and field.</summary>
    public ModelConfigurationException(string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>What kind of problem it is, from <see cref="ModelRejectionReasons"/>. Defaults to <see cref="ModelRejectionReasons.InvalidFiles"/>.</summary>
    public string Reason { get; } = ModelRejectionReasons.InvalidFiles;
}
