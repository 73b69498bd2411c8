namespace MLwatch.Streaming.Kafka.Tests.Support;

/// <summary>A commit barrier that counts flushes and can fail them, hold them until released, or answer Rewind.</summary>
internal sealed class RecordingCommitBarrier : ICommitBarrier
{
    private int _flushes;
    private int _failures;
    private volatile bool _fail;
    private volatile TaskCompletionSource? _hold;
    private int _rewinds;
    private int _rewindsAnswered;

    /// <summary>Flushes started, successful or not.</summary>
    public int Flushes => Volatile.Read(ref _flushes);

    /// <summary>Flushes that threw.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>When set, every flush throws: the state behind the offsets could not be made durable.</summary>
    public bool Fail
    {
        get => _fail;
        set => _fail = value;
    }

    /// <summary>Flushes answered with <see cref="CommitBarrierResult.Rewind"/>.</summary>
    public int RewindsAnswered => Volatile.Read(ref _rewindsAnswered);

    /// <summary>Makes the next flush answer <see cref="CommitBarrierResult.Rewind"/>, as after a lost activation.</summary>
    public void RewindNext() => Interlocked.Increment(ref _rewinds);

    /// <summary>Makes flushes wait until <see cref="Release"/>.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _hold?.TrySetResult();

    public async Task<CommitBarrierResult> FlushAsync(KafkaPartition partition, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _flushes);
        if (_hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (_fail)
        {
            Interlocked.Increment(ref _failures);
            throw new InvalidOperationException("Flush failed on purpose.");
        }

        if (Volatile.Read(ref _rewinds) > 0 && Interlocked.Decrement(ref _rewinds) >= 0)
        {
            Interlocked.Increment(ref _rewindsAnswered);
            return CommitBarrierResult.Rewind;
        }

        return CommitBarrierResult.Commit;
    }
}
