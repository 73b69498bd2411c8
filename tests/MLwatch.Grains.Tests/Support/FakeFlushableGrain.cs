using MLwatch.Abstractions;
using Orleans.Runtime;

namespace MLwatch.Grains.Tests.Support;

/// <summary>
/// A stateful grain as the commit barrier sees it: it persists when flushed by its current activation's id, and reports
/// any other activation as lost. The registry identifies it by <see cref="Identify"/>, without a silo.
/// </summary>
internal sealed class FakeFlushableGrain(string key) : IFlushableGrain
{
    private readonly List<Guid> _flushed = [];

    public GrainId GrainId { get; } = GrainId.Create("fake-flushable", key);

    public static GrainId Identify(IFlushableGrain grain) => ((FakeFlushableGrain)grain).GrainId;

    /// <summary>The activation alive now; flushing any other one reports its effects lost.</summary>
    public Guid Incarnation { get; private set; } = Guid.NewGuid();

    /// <summary>When set, flushes fail as a storage outage would.</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<Guid> Flushed
    {
        get
        {
            lock (_flushed)
            {
                return [.. _flushed];
            }
        }
    }

    /// <summary>The activation dies unflushed (its silo was killed); the next call activates a new one.</summary>
    public void LoseActivation() => Incarnation = Guid.NewGuid();

    /// <summary>When set, flushes wait for it before answering.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public async Task<bool> FlushAsync(Guid incarnation)
    {
        if (Hold is { } hold)
        {
            await hold.Task;
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        lock (_flushed)
        {
            _flushed.Add(incarnation);
        }

        return incarnation == Incarnation;
    }
}
