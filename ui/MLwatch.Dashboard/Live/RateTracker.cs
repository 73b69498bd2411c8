namespace MLwatch.Dashboard.Live;

/// <summary>
/// Turns polled running totals into a rate: records per second over the last <see cref="Window"/>, plus a history
/// of those rates for a sparkline. Not thread-safe: one per page.
/// </summary>
public sealed class RateTracker(TimeSpan history)
{
    /// <summary>The span a current rate is averaged over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly List<(DateTimeOffset At, long Total)> _samples = [];
    private readonly List<(DateTimeOffset At, double Rate)> _rates = [];

    /// <summary>Records per second over the last <see cref="Window"/>; 0 until two samples exist.</summary>
    public double Current { get; private set; }

    /// <summary>Rates computed at each sample within the history span, oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset At, double Rate)> History => _rates;

    /// <summary>Adds the total seen at <paramref name="at"/>. A total that went down (a restarted silo without durable state) restarts the series.</summary>
    public void Add(DateTimeOffset at, long total)
    {
        if (_samples.Count > 0 && (total < _samples[^1].Total || at <= _samples[^1].At))
        {
            if (total < _samples[^1].Total)
            {
                _samples.Clear();
            }
            else
            {
                return;
            }
        }

        _samples.Add((at, total));
        var windowStart = at - Window;
        var first = _samples.FindLastIndex(s => s.At <= windowStart);
        if (first > 0)
        {
            _samples.RemoveRange(0, first);
        }

        var oldest = _samples[0];
        var seconds = (at - oldest.At).TotalSeconds;
        Current = seconds <= 0 ? 0 : (total - oldest.Total) / seconds;
        if (seconds > 0)
        {
            _rates.Add((at, Current));
        }

        var expired = _rates.FindIndex(r => r.At >= at - history);
        if (expired > 0)
        {
            _rates.RemoveRange(0, expired);
        }
    }
}
