using Orleans.Concurrency;

namespace MLwatch.Abstractions.Inference;

/// <summary>
/// The rendezvous between a caller awaiting a request (an Open Inference Protocol call) and the inference grain that
/// consumes its record (key = the request id, which is also the record's key). In memory: it remembers an id while its
/// activation lives, so a retry with the same id is answered (or waits) instead of being produced and counted again.
/// </summary>
public interface IInferenceReplyGrain : IGrainWithStringKey
{
    /// <summary>Claims the id for a caller about to produce its record; says whether to produce, wait, or read the reply.</summary>
    Task<ReplyClaim> ClaimAsync();

    /// <summary>Gives the claim back when producing the record failed, so a retry may produce it.</summary>
    Task AbandonAsync();

    /// <summary>The reply, waiting at most <paramref name="timeout"/> for it; null when none came in time.</summary>
    [AlwaysInterleave]
    Task<InferenceReply?> WaitAsync(TimeSpan timeout);

    /// <summary>
    /// Records the reply of the id's record. The first completion wins: a record replayed after a crash (its prediction
    /// is the same) completes it again without effect.
    /// </summary>
    Task CompleteAsync(InferenceReply reply);
}
