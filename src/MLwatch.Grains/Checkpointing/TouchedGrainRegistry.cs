using Microsoft.Extensions.Logging;
using MLwatch.Abstractions;
using MLwatch.Streaming.Kafka;
using Orleans.Runtime;

namespace MLwatch.Grains.Checkpointing;

/// <summary>
/// The silo's commit barrier. Local inference and feedback grains record every stateful grain they changed, which
/// activation of it, and from which partitions' records; a flush takes that set and persists each, so the Kafka provider
/// can commit the offsets behind them.
/// <para>
/// When an activation was lost before persisting (its silo died, or its deactivation write failed), the records that
/// went into it are gone from its state but not yet committed. The flush then asks every partition whose records it
/// applied to rewind instead of committing: <see cref="FlushAsync"/> answers <see cref="CommitBarrierResult.Rewind"/> to
/// the next checkpoint of each, whichever provider it belongs to, and the receiver re-reads from its last commit. The
/// grain's applied-offset intervals have a hole exactly where the lost records were, so their replay applies them once,
/// and the replay touches the grain again, so the commit moves past them only after it flushed them.
/// </para>
/// <para>
/// Applies and flushes stop waiting when a silo is declared dead (<see cref="SiloDeathSignal"/>): the delivery or the
/// checkpoint then fails as any transport failure does and is retried, instead of waiting out a call to the dead silo.
/// </para>
/// </summary>
public sealed partial class TouchedGrainRegistry : ICommitBarrier
{
    private readonly ILogger _logger;
    private readonly Func<IFlushableGrain, GrainId> _identify;
    private readonly SiloDeathSignal _deaths;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly HashSet<KafkaPartition> _rewindPending = [];
    private Dictionary<GrainId, Touch> _touched = [];

    public TouchedGrainRegistry(ILogger<TouchedGrainRegistry> logger, SiloDeathSignal deaths)
        : this(logger, grain => grain.GetGrainId(), deaths)
    {
    }

    /// <summary>For tests: grains identified without a silo.</summary>
    internal TouchedGrainRegistry(ILogger<TouchedGrainRegistry> logger, Func<IFlushableGrain, GrainId> identify, SiloDeathSignal deaths)
    {
        _logger = logger;
        _identify = identify;
        _deaths = deaths;
    }

    /// <summary>
    /// Records that <paramref name="grain"/>'s activation <paramref name="incarnation"/> applied effects, not yet
    /// persisted, of records of <paramref name="source"/>.
    /// </summary>
    public void Touched(IFlushableGrain grain, Guid incarnation, KafkaPartition source)
    {
        lock (_lock)
        {
            // Keep the oldest unflushed activation: if it differs from a newer one, its effects were lost.
            if (!_touched.TryGetValue(_identify(grain), out var touch))
            {
                _touched[_identify(grain)] = touch = new Touch(grain, incarnation);
            }

            touch.Sources.Add(source);
        }
    }

    /// <summary>Calls <paramref name="apply"/> on <paramref name="grain"/> and records the activation that applied records of <paramref name="source"/>.</summary>
    public async Task ApplyAsync<TGrain>(TGrain grain, KafkaPartition source, Func<TGrain, ValueTask<Guid>> apply)
        where TGrain : IFlushableGrain
    {
        var abandon = _deaths.Token; // before the call starts: a death while Orleans addresses it must cancel the wait
        Guid incarnation;
        try
        {
            incarnation = await apply(grain).AsTask().WaitAsync(abandon);
        }
        catch (OperationCanceledException cancelled) when (abandon.IsCancellationRequested)
        {
            throw new OperationCanceledException($"Stopped waiting for {_identify(grain)} to apply records of {source}: a silo was declared dead while the call was pending (it may have been sent to that silo); the delivery is retried.", cancelled, abandon);
        }

        Touched(grain, incarnation, source);
    }

    /// <summary>Whether a checkpoint of <paramref name="partition"/> will be told to rewind.</summary>
    public bool IsRewindPending(KafkaPartition partition)
    {
        lock (_lock)
        {
            return _rewindPending.Contains(partition);
        }
    }

    public async Task<CommitBarrierResult> FlushAsync(KafkaPartition partition, CancellationToken cancellationToken)
    {
        // One flush at a time, across providers: a flush must not return while an earlier one is still writing grains
        // whose records the caller is about to commit, nor before a loss it finds is on record.
        await _flushGate.WaitAsync(cancellationToken);
        try
        {
            await FlushTouchedAsync(cancellationToken);
            lock (_lock)
            {
                return _rewindPending.Remove(partition) ? CommitBarrierResult.Rewind : CommitBarrierResult.Commit;
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private async Task FlushTouchedAsync(CancellationToken cancellationToken)
    {
        Touch[] entries;
        lock (_lock)
        {
            entries = [.. _touched.Values];
            _touched = [];
        }

        var siloDied = _deaths.Token;
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, siloDied);
        var flushes = entries.Select(entry => entry.Grain.FlushAsync(entry.Incarnation)).ToArray();
        Exception? failure = null;
        try
        {
            await Task.WhenAll(flushes).WaitAsync(abandon.Token);
        }
        catch (OperationCanceledException cancelled) when (siloDied.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var pending = flushes.Count(flush => !flush.IsCompleted);
            failure = new OperationCanceledException($"Stopped waiting for {pending} of {flushes.Length} flush(es): a silo was declared dead while they were pending (one may have been sent to that silo); the next checkpoint retries them.", cancelled, siloDied);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        var lost = entries.Where((_, i) => flushes[i].IsCompletedSuccessfully && !flushes[i].Result).ToArray();
        if (lost.Length > 0)
        {
            // Committing now would skip the records that went into the lost activations: replay them instead.
            var partitions = lost.SelectMany(entry => entry.Sources).Distinct().OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition).ToArray();
            lock (_lock)
            {
                _rewindPending.UnionWith(partitions);
            }

            LogStateLost(lost.Length, _identify(lost[0].Grain).ToString(), string.Join(", ", partitions));
        }

        if (failure is not null)
        {
            // Those not persisted stay pending; the failed checkpoint commits nothing and the next one retries them.
            Requeue(entries.Where((_, i) => !flushes[i].IsCompleted || flushes[i].IsFaulted || flushes[i].IsCanceled));
            throw failure;
        }
    }

    private void Requeue(IEnumerable<Touch> entries)
    {
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                // The older activation goes first again; records of any partition touched since stay behind the flush.
                if (_touched.TryGetValue(_identify(entry.Grain), out var newer))
                {
                    entry.Sources.UnionWith(newer.Sources);
                }

                _touched[_identify(entry.Grain)] = entry;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "State of {Count} grain(s), e.g. {GrainId}, was lost with its activation before being persisted. Partitions whose records went into it rewind to their last committed offset and replay them (records already applied are skipped): {Partitions}.")]
    private partial void LogStateLost(int count, string grainId, string partitions);

    private sealed class Touch(IFlushableGrain grain, Guid incarnation)
    {
        public IFlushableGrain Grain { get; } = grain;

        public Guid Incarnation { get; } = incarnation;

        /// <summary>Partitions whose records this grain applied since its last flush (guarded by the registry's lock).</summary>
        public HashSet<KafkaPartition> Sources { get; } = [];
    }
}
