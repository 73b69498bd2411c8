using Orleans.Concurrency;

namespace MLwatch.Abstractions.Ingest;

/// <summary>Counts field problems of classified records of one topic by reason code, exactly once per record; key = topic.</summary>
public interface IIngestWarningsGrain : IFlushableGrain
{
    /// <summary>Counts warnings, ignoring those of records already counted; returns this activation's incarnation.</summary>
    ValueTask<Guid> ApplyAsync(IngestWarningBatch batch);

    /// <summary>Counts by reason code; served from memory even while a flush waits for storage.</summary>
    [AlwaysInterleave]
    ValueTask<IReadOnlyDictionary<string, long>> GetCountsAsync();
}
