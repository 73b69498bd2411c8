using MLwatch.Abstractions.Inference;
using Orleans.Concurrency;

namespace MLwatch.Grains.Inference;

/// <summary>
/// One request id's reply, in memory (<see cref="IInferenceReplyGrain"/>). Reentrant: every call only reads or sets
/// fields without awaiting, so a caller waiting for the reply never holds back the claim of a retry or the completion
/// from the inference grain. Idle activations are collected after <see cref="RememberMinutes"/> minutes, and with them
/// what the id was: a retry after that is a new request.
/// </summary>
[Reentrant]
[CollectionAgeLimit(Minutes = RememberMinutes)]
public sealed class InferenceReplyGrain : Grain, IInferenceReplyGrain
{
    /// <summary>How long an id is remembered after the last call about it (Orleans collects idle activations then).</summary>
    public const int RememberMinutes = 15;

    private readonly TaskCompletionSource<InferenceReply> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _claimed;

    public Task<ReplyClaim> ClaimAsync()
    {
        if (_reply.Task.IsCompleted)
        {
            return Task.FromResult(ReplyClaim.Answered);
        }

        if (_claimed)
        {
            return Task.FromResult(ReplyClaim.InFlight);
        }

        _claimed = true;
        return Task.FromResult(ReplyClaim.Produce);
    }

    public Task AbandonAsync()
    {
        _claimed = false;
        return Task.CompletedTask;
    }

    public async Task<InferenceReply?> WaitAsync(TimeSpan timeout)
    {
        try
        {
            return await _reply.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public Task CompleteAsync(InferenceReply reply)
    {
        // Also answers a record produced by anyone else with this key and the reply header: it was sent, so it is in flight.
        _claimed = true;
        _reply.TrySetResult(reply);
        return Task.CompletedTask;
    }
}
