namespace MLwatch.Grains.Persistence;

/// <summary>The part of a write-behind grain's persisted state that tells a clean hand-over from a lost activation.</summary>
[GenerateSerializer, Alias("mlwatch.write-behind-state")]
public abstract class WriteBehindState
{
    /// <summary>How many cleanly closed activations are remembered; a checkpoint asks about one within seconds of its close.</summary>
    public const int ClosedIncarnationsKept = 8;

    /// <summary>Recent activations whose every effect was written when they deactivated, newest last.</summary>
    [Id(0)] public List<Guid> ClosedIncarnations { get; set; } = [];
}
