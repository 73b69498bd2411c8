namespace MLwatch.Inference.Execution;

/// <summary>How one model's batches were formed and run on this silo: counts, sizes and time in ONNX Runtime. Thread-safe.</summary>
public sealed class BatchStatistics
{
    private readonly long[] _sizes;
    private long _batches;
    private long _images;
    private long _inferenceTicks;

    /// <summary>Creates statistics for batches of 1..<paramref name="maxBatchSize"/> images.</summary>
    public BatchStatistics(int maxBatchSize) => _sizes = new long[maxBatchSize + 1];

    /// <summary>Batches run.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Images classified in them.</summary>
    public long Images => Interlocked.Read(ref _images);

    /// <summary>Mean images per batch (0 before the first).</summary>
    public double MeanBatchSize => Batches == 0 ? 0 : (double)Images / Batches;

    /// <summary>Time spent in ONNX Runtime's Run, in total.</summary>
    public TimeSpan InferenceTime => TimeSpan.FromTicks(Interlocked.Read(ref _inferenceTicks));

    /// <summary>How many batches had each size (index = size).</summary>
    public long[] SizeCounts() => [.. _sizes.Select((_, i) => Interlocked.Read(ref _sizes[i]))];

    internal void Record(int size, TimeSpan inference)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _images, size);
        Interlocked.Increment(ref _sizes[size]);
        Interlocked.Add(ref _inferenceTicks, inference.Ticks);
    }
}
