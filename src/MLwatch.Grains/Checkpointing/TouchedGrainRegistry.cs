using Microsoft.Extensions.Logging;
using MLwatch.Abstractions;
using MLwatch.Streaming.Kafka;
using Orleans.Runtime;

namespace MLwatch.Grains.Checkpointing;

/// <summary>
/// The silo's commit barrier. Local inference grains record every stateful grain they changed (and which activation
/// of it); a flush takes that set and persists each, so the Kafka provider can commit the offsets behind them.
/// </summary>
public sealed partial class TouchedGrainRegistry(ILogger<TouchedGrainRegistry> logger) : ICommitBarrier
{
    private readonly Lock _lock = new();
    private Dictionary<GrainId, (IFlushableGrain Grain, Guid Incarnation)> _touched = [];
    private string? _lostState;

    /// <summary>Records that <paramref name="grain"/>'s activation <paramref name="incarnation"/> applied effects not yet persisted.</summary>
    public void Touched(IFlushableGrain grain, Guid incarnation)
    {
        lock (_lock)
        {
            // Keep the oldest unflushed activation: if it differs from a newer one, its effects were lost.
            _touched.TryAdd(grain.GetGrainId(), (grain, incarnation));
        }
    }

    /// <summary>Calls <paramref name="apply"/> on <paramref name="grain"/> and records the activation that applied it.</summary>
    public async Task ApplyAsync<TGrain>(TGrain grain, Func<TGrain, ValueTask<Guid>> apply)
        where TGrain : IFlushableGrain
    {
        var incarnation = await apply(grain);
        Touched(grain, incarnation);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_lostState is not null)
        {
            throw new InvalidOperationException(_lostState);
        }

        (IFlushableGrain Grain, Guid Incarnation)[] entries;
        lock (_lock)
        {
            entries = [.. _touched.Values];
            _touched = [];
        }

        var flushes = entries.Select(entry => entry.Grain.FlushAsync(entry.Incarnation)).ToArray();
        try
        {
            await Task.WhenAll(flushes).WaitAsync(cancellationToken);
        }
        catch
        {
            // Those not persisted stay pending; the failed checkpoint commits nothing and the next one retries them.
            Requeue(entries.Where((_, i) => !flushes[i].IsCompletedSuccessfully));
            throw;
        }

        var lost = entries.Where((_, i) => !flushes[i].Result).Select(entry => entry.Grain.GetGrainId()).ToArray();
        if (lost.Length > 0)
        {
            // An activation was lost before its effects were persisted (its silo died, or its deactivation write failed).
            // Committing now would skip those records forever; stop committing so that a restart replays them.
            _lostState = $"State of {lost.Length} grain(s), e.g. {lost[0]}, was lost with its activation before being persisted. " +
                "Offsets are no longer committed by this silo; restart it so the uncommitted records are replayed (already-applied ones are skipped).";
            LogStateLost(lost.Length, lost[0].ToString());
            throw new InvalidOperationException(_lostState);
        }
    }

    private void Requeue(IEnumerable<(IFlushableGrain Grain, Guid Incarnation)> entries)
    {
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                _touched[entry.Grain.GetGrainId()] = entry;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "State of {Count} grain(s), e.g. {GrainId}, was lost before being persisted; this silo stops committing Kafka offsets. Restart it to replay the uncommitted records.")]
    private partial void LogStateLost(int count, string grainId);
}
