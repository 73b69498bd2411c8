namespace MLwatch.Query;

/// <summary>
/// Bounds how long a caller waits for a read of grain state. A grain call to a silo that is frozen but not yet declared
/// dead waits for Orleans' response timeout (30 s); the caller stops waiting earlier and reports a transient
/// <see cref="ReadTimeoutException"/>. The call itself cannot be cancelled (the grain interfaces take no token): it
/// finishes or times out in the background, and its outcome is observed there so it is never reported as unobserved.
/// </summary>
public static class BoundedReads
{
    /// <summary>Waits for <paramref name="read"/> at most <paramref name="limit"/>, named by <paramref name="setting"/> in the error.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> read, TimeSpan limit, string setting, CancellationToken cancellationToken = default)
    {
        await WithinAsync((Task)read, limit, setting, cancellationToken);
        return await read;
    }

    /// <inheritdoc cref="WithinAsync{T}(Task{T}, TimeSpan, string, CancellationToken)"/>
    public static async Task WithinAsync(Task read, TimeSpan limit, string setting, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            await read.WaitAsync(limit, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException && !read.IsCompleted)
        {
            _ = read.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (exception is TimeoutException)
            {
                throw new ReadTimeoutException(limit, setting);
            }

            throw;
        }
    }
}
