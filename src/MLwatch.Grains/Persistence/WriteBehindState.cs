using System.Text.Json.Serialization;

namespace MLwatch.Grains.Persistence;

/// <summary>
/// The part of a write-behind grain's persisted state that makes it exactly-once: which records it applied, and which
/// activations handed over cleanly (as opposed to being lost with unpersisted effects).
/// </summary>
[GenerateSerializer, Alias("mlwatch.write-behind-state")]
public abstract class WriteBehindState : IJsonOnDeserialized
{
    /// <summary>How many cleanly closed activations are remembered; a checkpoint asks about one within seconds of its close.</summary>
    public const int ClosedIncarnationsKept = 8;

    /// <summary>Recent activations whose every effect was written when they deactivated, newest last.</summary>
    [Id(0)] public List<Guid> ClosedIncarnations { get; set; } = [];

    /// <summary>The Kafka offsets whose records this state has applied; replays of them are ignored.</summary>
    [Id(1)] public AppliedOffsets Applied { get; set; } = new();

    /// <summary>
    /// Only in rows written before <see cref="Applied"/> existed: per "{topic}/{partition}", the highest offset applied.
    /// Migrated on load into <see cref="Applied"/> as [0, mark] and never written again.
    /// </summary>
    [Id(2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, long>? AppliedThrough { get; set; }

    /// <summary>Migrates <see cref="AppliedThrough"/> of an old row (called by System.Text.Json after reading one).</summary>
    public void OnDeserialized()
    {
        Applied ??= new AppliedOffsets();
        if (AppliedThrough is { } marks)
        {
            Applied.ImportMarks(marks);
            AppliedThrough = null;
        }
    }
}
