using Orleans.Concurrency;

namespace MLwatch.Abstractions.Ingest;

/// <summary>Counts dead-lettered records of one topic by reason code, exactly once per record; key = topic.</summary>
public interface IDeadLetterStatsGrain : IFlushableGrain
{
    /// <summary>Counts refused records, ignoring any already counted; returns this activation's incarnation.</summary>
    ValueTask<Guid> ApplyAsync(DeadLetterBatch batch);

    /// <summary>Counts by reason code; served from memory even while a flush waits for storage.</summary>
    [AlwaysInterleave]
    ValueTask<IReadOnlyDictionary<string, long>> GetCountsAsync();
}
