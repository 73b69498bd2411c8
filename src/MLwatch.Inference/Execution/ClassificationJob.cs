namespace MLwatch.Inference.Execution;

/// <summary>
/// One caller's images on their way through the executor: each image is decoded by a worker, joins its model's
/// batch and gets its outcome; the job completes when the last one has. Completion runs continuations asynchronously,
/// so the executor's threads never run the caller's code (a grain turn resumes on its own scheduler).
/// </summary>
internal sealed class ClassificationJob
{
    private readonly TaskCompletionSource<ClassificationOutcome[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClassificationOutcome[] _outcomes;
    private int _remaining;
    private int _failed;

    public ClassificationJob(int count)
    {
        _outcomes = new ClassificationOutcome[count];
        _remaining = count;
        if (count == 0)
        {
            _completion.SetResult(_outcomes);
        }
    }

    public Task<ClassificationOutcome[]> Completion => _completion.Task;

    /// <summary>Records the outcome of image <paramref name="index"/>.</summary>
    public void Complete(int index, ClassificationOutcome outcome)
    {
        _outcomes[index] = outcome;
        if (Interlocked.Decrement(ref _remaining) == 0 && Volatile.Read(ref _failed) == 0)
        {
            _completion.TrySetResult(_outcomes);
        }
    }

    /// <summary>Fails the whole job (a model that cannot run, or the executor stopping); later outcomes are ignored.</summary>
    public void Fail(Exception error)
    {
        Interlocked.Exchange(ref _failed, 1);
        _completion.TrySetException(error);
    }
}
