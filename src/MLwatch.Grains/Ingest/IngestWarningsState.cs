using MLwatch.Abstractions.Ingest;
using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Ingest;

/// <summary>Persisted field-problem counters of one topic.</summary>
[GenerateSerializer, Alias("mlwatch.ingest-warnings-state")]
public sealed class IngestWarningsState : WriteBehindState
{
    /// <summary>Problems by reason code.</summary>
    [Id(0)] public Dictionary<string, long> CountsByReason { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Counts the warnings of one delivery of <paramref name="topic"/> whose records were not counted already.</summary>
    public (int Applied, bool Changed) Apply(string topic, IngestWarningBatch batch) =>
        Applied.Apply(topic, batch.Partition, batch.FirstOffset, batch.LastOffset, batch.CommittedBefore, batch.Warnings, w => w.Offset, w => CountsByReason[w.ReasonCode] = CountsByReason.GetValueOrDefault(w.ReasonCode) + 1);
}
