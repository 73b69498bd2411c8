using MLwatch.Abstractions;
using MLwatch.Abstractions.Ingest;
using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Ingest;

/// <summary>Counts field problems of classified records of one topic (the grain key) by reason, exactly once per record.</summary>
public sealed class IngestWarningsGrain(
    [PersistentState("ingestWarnings", StorageNames.Stats)] IPersistentState<IngestWarningsState> state)
    : WriteBehindGrain<IngestWarningsState>(state), IIngestWarningsGrain
{
    public ValueTask<Guid> ApplyAsync(IngestWarningBatch batch)
    {
        if (State.Apply(this.GetPrimaryKeyString(), batch).Changed)
        {
            MarkChanged();
        }

        return ValueTask.FromResult(HandOutIncarnation());
    }

    public ValueTask<IReadOnlyDictionary<string, long>> GetCountsAsync() =>
        ValueTask.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(State.CountsByReason));
}
