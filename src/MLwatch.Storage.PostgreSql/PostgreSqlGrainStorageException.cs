using Orleans;
using Orleans.Runtime;

namespace MLwatch.Storage.PostgreSql;

/// <summary>
/// Thrown by the PostgreSQL grain storage when it cannot start, read, write or clear grain state.
/// The message says what failed and what to do; it never contains the connection string's password.
/// </summary>
[GenerateSerializer, Alias("mlwatch.postgresql-grain-storage-exception")]
public sealed class PostgreSqlGrainStorageException : OrleansException
{
    /// <summary>Creates an exception with no message.</summary>
    public PostgreSqlGrainStorageException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public PostgreSqlGrainStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public PostgreSqlGrainStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
