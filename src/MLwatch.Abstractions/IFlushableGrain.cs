namespace MLwatch.Abstractions;

/// <summary>A grain that applies stream effects in memory and persists them when asked (the commit barrier).</summary>
public interface IFlushableGrain : IGrainWithStringKey
{
    /// <summary>
    /// Persists pending changes. Returns false when <paramref name="incarnation"/> is neither this activation nor an
    /// earlier one that wrote everything when it deactivated: its effects were lost with it, so the records behind them
    /// must be replayed.
    /// </summary>
    Task<bool> FlushAsync(Guid incarnation);
}
