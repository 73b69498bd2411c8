namespace MLwatch.Monitoring.Reference;

/// <summary>Thrown when a reference profile file is missing, is not valid JSON, or has a missing or inconsistent field.</summary>
public sealed class ReferenceProfileException : Exception
{
    /// <summary>Creates the exception with a message that names the offending file and field.</summary>
    public ReferenceProfileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ReferenceProfileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
