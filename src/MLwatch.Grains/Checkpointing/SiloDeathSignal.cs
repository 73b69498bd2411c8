using Orleans.Runtime;

namespace MLwatch.Grains.Checkpointing;

/// <summary>
/// A token the commit path (applies to stateful grains, their flushes) waits with, cancelled when a silo is declared
/// dead. Orleans breaks a pending call to a silo declared dead only when the call was already addressed to it; a call
/// still being addressed at that moment is sent afterwards, over the connection Orleans keeps open to the dead silo
/// for a while, and waits its whole response timeout (30 s) for an answer that never comes, holding its partition up
/// that long. Giving up such waits is safe: a delivery that fails is delivered again and its records are applied once
/// (stateful grains skip offsets they applied), and a flush that did not finish is retried by the next checkpoint.
/// <para>
/// The signal fires again <see cref="Grace"/> after the death, for calls that started in the moment the rest of the
/// silo was still learning of it. Only waits that are still pending are cancelled; answered calls are unaffected.
/// </para>
/// </summary>
public sealed class SiloDeathSignal : ISiloStatusListener
{
    /// <summary>How long after a death the signal fires a second time.</summary>
    internal static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _clock;
    private CancellationTokenSource _current = new();

    public SiloDeathSignal(ISiloStatusOracle membership, TimeProvider clock)
        : this(clock) =>
        membership.SubscribeToSiloStatusEvents(this);

    /// <summary>For tests: fired by <see cref="SiloStatusChangeNotification"/> only.</summary>
    internal SiloDeathSignal(TimeProvider clock) => _clock = clock;

    /// <summary>Cancelled at the next death of a silo (or <see cref="Grace"/> after it): wait with the token taken when the call starts.</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    public void SiloStatusChangeNotification(SiloAddress updatedSilo, SiloStatus status)
    {
        if (status != SiloStatus.Dead)
        {
            return;
        }

        Fire();
        _ = FireAfterGraceAsync();
    }

    private async Task FireAfterGraceAsync()
    {
        await Task.Delay(Grace, _clock);
        Fire();
    }

    private void Fire()
    {
        // Not disposed: a caller may be reading its token right now. Cancelled off this thread: Orleans notifies here.
        var fired = Interlocked.Exchange(ref _current, new CancellationTokenSource());
        _ = fired.CancelAsync();
    }
}
