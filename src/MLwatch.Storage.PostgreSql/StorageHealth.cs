using Microsoft.Extensions.Logging;

namespace MLwatch.Storage.PostgreSql;

/// <summary>
/// This silo's view of its grain storage: healthy, or degraded since the first failed attempt of an outage until the next
/// successful operation. One per silo, shared by every PostgreSQL storage provider in it. Logs one warning when an outage
/// starts and one information line when it ends, however many operations retry in between.
/// </summary>
public sealed partial class StorageHealth(TimeProvider clock, ILogger<StorageHealth> logger)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _degradedSince;
    private DateTimeOffset? _lastFailureAt;
    private string? _lastFailure;
    private int _retrying;
    private long _failedAttempts;

    /// <summary>Whether the last storage operation failed and none has succeeded since.</summary>
    public bool IsDegraded
    {
        get
        {
            lock (_lock)
            {
                return _degradedSince is not null;
            }
        }
    }

    /// <summary>The current state, for /healthz.</summary>
    public StorageHealthSnapshot GetSnapshot()
    {
        lock (_lock)
        {
            return new StorageHealthSnapshot(
                _degradedSince is null ? StorageHealthSnapshot.Ok : StorageHealthSnapshot.Degraded,
                _degradedSince,
                _lastFailureAt,
                _lastFailure,
                _retrying > 0,
                _retrying,
                _failedAttempts);
        }
    }

    /// <summary>An attempt of <paramref name="operation"/> failed with <paramref name="reason"/> (a message without secrets).</summary>
    internal void ReportFailure(string provider, string operation, string reason)
    {
        bool started;
        DateTimeOffset now = clock.GetUtcNow();
        lock (_lock)
        {
            started = _degradedSince is null;
            _degradedSince ??= now;
            _lastFailureAt = now;
            _lastFailure = reason;
            _failedAttempts++;
        }

        if (started)
        {
            LogDegraded(provider, operation, reason);
        }
    }

    /// <summary>An operation succeeded: ends an outage, if one was going on.</summary>
    internal void ReportSuccess(string provider)
    {
        DateTimeOffset? since;
        long attempts;
        lock (_lock)
        {
            if (_degradedSince is null)
            {
                return;
            }

            since = _degradedSince;
            attempts = _failedAttempts;
            _degradedSince = null;
        }

        LogRecovered(provider, (clock.GetUtcNow() - since.Value).TotalSeconds, attempts);
    }

    /// <summary>An operation starts retrying (<paramref name="delta"/> = 1) or stops (-1).</summary>
    internal void Retrying(int delta)
    {
        lock (_lock)
        {
            _retrying += delta;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Grain storage {Provider} is degraded: {Operation} failed ({Reason}). Writes and activations retry with backoff; grains keep serving reads from memory and Kafka offsets are not committed until their state is written.")]
    private partial void LogDegraded(string provider, string operation, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Grain storage {Provider} recovered after {Seconds:0.0} s; {FailedAttempts} failed attempt(s) since this silo started.")]
    private partial void LogRecovered(string provider, double seconds, long failedAttempts);
}

/// <summary>A silo's grain storage health as /healthz reports it.</summary>
/// <param name="Status"><c>ok</c> or <c>degraded</c>.</param>
/// <param name="DegradedSince">When the current outage's first failure happened; null when ok.</param>
/// <param name="LastFailureAt">When the last failed attempt happened (kept after recovery).</param>
/// <param name="LastFailure">What the last failed attempt said (never a password).</param>
/// <param name="Retrying">Whether some operation is retrying now.</param>
/// <param name="OperationsRetrying">How many operations are retrying now.</param>
/// <param name="FailedAttempts">Failed attempts since the silo started.</param>
public sealed record StorageHealthSnapshot(
    string Status,
    DateTimeOffset? DegradedSince,
    DateTimeOffset? LastFailureAt,
    string? LastFailure,
    bool Retrying,
    int OperationsRetrying,
    long FailedAttempts)
{
    /// <summary>Storage works.</summary>
    public const string Ok = "ok";

    /// <summary>The last storage operation failed; operations retry.</summary>
    public const string Degraded = "degraded";
}
