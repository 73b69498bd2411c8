namespace MLwatch.Dashboard.Tests.Support;

/// <summary>A clock that says what the test sets (timers are not affected: pages use real periodic timers).</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
