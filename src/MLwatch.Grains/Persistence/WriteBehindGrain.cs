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
    private bool _dirty;

    /// <summary>Identifies this activation: effects applied to an earlier one were lost unless it closed cleanly.</summary>
    protected Guid Incarnation { get; } = Guid.NewGuid();

    /// <summary>The in-memory state.</summary>
    protected TState State => state.State;

    public async Task<bool> FlushAsync(Guid incarnation)
    {
        // An earlier activation that wrote everything on deactivation handed over cleanly; any other one lost effects.
        if (incarnation != Incarnation && !State.ClosedIncarnations.Contains(incarnation))
        {
            return false;
        }

        await PersistAsync();
        return true;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        State.ClosedIncarnations.Add(Incarnation);
        if (State.ClosedIncarnations.Count > WriteBehindState.ClosedIncarnationsKept)
        {
            State.ClosedIncarnations.RemoveAt(0);
        }

        _dirty = true;
        await PersistAsync();
    }

    /// <summary>Records that the state changed and must be written at the next flush.</summary>
    protected void MarkChanged() => _dirty = true;

    private async Task PersistAsync()
    {
        if (_dirty)
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
    }
}
