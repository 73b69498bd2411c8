using MLwatch.Inference.Models;

namespace MLwatch.Inference.Execution;

/// <summary>One image of a <see cref="ClassificationJob"/>: encoded, then preprocessed into a pooled tensor, then classified in a batch.</summary>
internal sealed class PendingImage(ClassificationJob job, int index, ModelDescriptor model, ClassificationInput input)
{
    public ClassificationJob Job { get; } = job;

    public int Index { get; } = index;

    public ModelDescriptor Model { get; } = model;

    public ReadOnlyMemory<byte> Encoded { get; } = input.Bytes;

    /// <summary><see cref="Encoded"/> holds a preprocessed tensor (float32, little-endian), not an encoded image.</summary>
    public bool IsTensor { get; } = input.IsTensor;

    /// <summary>How many of the best classes to return besides the top-1.</summary>
    public int TopK { get; } = input.TopK;

    /// <summary>When the caller handed it to the executor (<see cref="System.Diagnostics.Stopwatch"/> ticks): its serving time starts here.</summary>
    public long SubmittedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The preprocessed tensor (rented from the shared pool), once a decode worker made it.</summary>
    public float[]? Tensor { get; set; }

    /// <summary>When it joined its model's batch queue (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long QueuedAt { get; set; }
}
