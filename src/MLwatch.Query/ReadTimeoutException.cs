using System.Globalization;

namespace MLwatch.Query;

/// <summary>A read of grain state that got no answer within its bound (<see cref="BoundedReads"/>): transient.</summary>
public sealed class ReadTimeoutException(TimeSpan limit, string setting)
    : TimeoutException(string.Create(
        CultureInfo.InvariantCulture,
        $"no answer from the cluster within {limit.TotalSeconds:0.#} s ({setting}); a silo may be frozen or overloaded until membership declares it dead"))
{
    /// <summary>How long the read waited.</summary>
    public TimeSpan Limit { get; } = limit;
}
