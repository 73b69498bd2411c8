using MLwatch.Abstractions;
using Orleans.Runtime;

namespace MLwatch.Grains.Persistence;

/// <summary>
/// A grain whose state changes in memory on every delivery and is written only when the commit barrier flushes it
/// (or when it deactivates): one storage write per checkpoint instead of one per record.
/// </summary>
public abstract class WriteBehindGrain<TState>(IPersistentState<TState> state) : Grain, IFlushableGrain
    where TState : WriteBehindState
{
    private readonly Guid _incarnation = Guid.NewGuid();
    private bool _dirty;
    private bool _incarnationHandedOut;

    /// <summary>The in-memory state.</summary>
    protected TState State => state.State;

    public async Task<bool> FlushAsync(Guid incarnation)
    {
        // An earlier activation that wrote everything on deactivation handed over cleanly; any other one lost effects.
        if (incarnation != _incarnation && !State.ClosedIncarnations.Contains(incarnation))
        {
            return false;
        }

        await PersistAsync();
        return true;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Only an activation some commit barrier may still ask about needs its clean close on record; read-only ones
        // (queried by the API, never applied to) write nothing.
        if (_incarnationHandedOut)
        {
            State.ClosedIncarnations.Add(_incarnation);
            if (State.ClosedIncarnations.Count > WriteBehindState.ClosedIncarnationsKept)
            {
                State.ClosedIncarnations.RemoveAt(0);
            }

            _dirty = true;
        }

        await PersistAsync();
    }

    /// <summary>
    /// Identifies this activation to the commit barrier, which flushes it by this id later: effects applied to an
    /// earlier activation were lost unless it closed cleanly. Return it from every apply call.
    /// </summary>
    protected Guid HandOutIncarnation()
    {
        _incarnationHandedOut = true;
        return _incarnation;
    }

    /// <summary>Records that the state changed and must be written at the next flush.</summary>
    protected void MarkChanged() => _dirty = true;

    /// <summary>Writes pending changes now, for changes no commit barrier will flush (e.g. made by a timer).</summary>
    protected Task PersistNowAsync() => PersistAsync();

    private async Task PersistAsync()
    {
        if (_dirty)
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
    }
}
