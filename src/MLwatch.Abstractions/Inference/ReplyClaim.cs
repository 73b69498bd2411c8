namespace MLwatch.Abstractions.Inference;

/// <summary>What an <see cref="IInferenceReplyGrain"/> knew of its request id when a caller asked to send it.</summary>
public enum ReplyClaim
{
    /// <summary>The id was new: the caller now owns it and must produce its record (or abandon the claim).</summary>
    Produce,

    /// <summary>A record with this id is on its way already: wait for its reply, do not produce another.</summary>
    InFlight,

    /// <summary>The id has its reply already: return it.</summary>
    Answered,
}
