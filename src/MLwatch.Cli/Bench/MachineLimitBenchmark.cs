using System.Diagnostics;
using MLwatch.Inference;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Sessions;

namespace MLwatch.Cli.Bench;

/// <summary>
/// The limit of this machine for the whole job — decode, preprocess and ONNX Runtime over the same encoded images — with
/// no Kafka and no Orleans: once as one plain serial loop (decode a batch, then run it), and once through the silo's
/// <see cref="InferenceExecutor"/>, which overlaps decoding with inference, for every split of the processors between
/// decode workers and intra-op threads. The best split is what the pipeline is measured against.
/// </summary>
public static class MachineLimitBenchmark
{
    // Enough callers that the executor's queue never runs dry, as deliveries of many partitions would keep it.
    private const int Callers = 8;
    private const int ImagesPerCall = 64;

    /// <summary>The serial loop, with all processors as intra-op threads.</summary>
    public static double RunSerial(BenchInputs inputs, TimeSpan slice)
    {
        var options = new InferenceOptions { IntraOpThreads = Environment.ProcessorCount };
        using var sessions = new OnnxSessionCache(options);
        var classifier = new ImageClassifier(sessions, new ImagePreprocessor(options));
        var batch = inputs.Model.Config.MaxBatchSize;
        classifier.Classify(inputs.Model, Chunk(inputs, 0, batch));
        var images = 0L;
        var clock = Stopwatch.StartNew();
        for (var next = 0; clock.Elapsed < slice; next += batch)
        {
            images += classifier.Classify(inputs.Model, Chunk(inputs, next, batch)).Count;
        }

        return images / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Every split of the processors between decode workers and intra-op threads (together the processors, or one more).</summary>
    public static IReadOnlyList<ExecutorMeasurement> RunOverlapped(BenchInputs inputs, TimeSpan slice, Action<string> progress)
    {
        var cores = Environment.ProcessorCount;
        var results = new List<ExecutorMeasurement>();
        for (var decoders = 1; decoders <= cores; decoders++)
        {
            for (var intraOp = Math.Max(1, cores - decoders); intraOp <= cores - decoders + 1; intraOp++)
            {
                var measurement = RunExecutor(inputs, decoders, intraOp, slice);
                progress($"decode + ONNX Runtime overlapped: {decoders} decode worker(s), {intraOp} intra-op thread(s): {measurement.ImagesPerSecond:N0} images/s (mean batch {measurement.MeanBatchSize:F1})");
                results.Add(measurement);
            }
        }

        return results;
    }

    private static ExecutorMeasurement RunExecutor(BenchInputs inputs, int decoders, int intraOp, TimeSpan slice)
    {
        var options = new InferenceOptions { DecodeWorkers = decoders, IntraOpThreads = intraOp };
        using var sessions = new OnnxSessionCache(options);
        using var executor = new InferenceExecutor(sessions, new ImagePreprocessor(options), options);
        executor.ClassifyAsync(inputs.Model, Chunk(inputs, 0, ImagesPerCall)).GetAwaiter().GetResult();
        var warm = executor.BatchStatistics().Values.Single();
        var (warmBatches, warmImages) = (warm.Batches, warm.Images);
        var images = 0L;
        var clock = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            for (var next = caller * ImagesPerCall; clock.Elapsed < slice; next += Callers * ImagesPerCall)
            {
                Interlocked.Add(ref images, (await executor.ClassifyAsync(inputs.Model, Chunk(inputs, next, ImagesPerCall))).Length);
            }
        })).ToArray();
        Task.WaitAll(callers);
        var seconds = clock.Elapsed.TotalSeconds;
        var statistics = executor.BatchStatistics().Values.Single();
        var batches = statistics.Batches - warmBatches;
        return new ExecutorMeasurement(decoders, intraOp, images / seconds, batches == 0 ? 0 : (statistics.Images - warmImages) / (double)batches);
    }

    private static ReadOnlyMemory<byte>[] Chunk(BenchInputs inputs, int start, int count) =>
        [.. Enumerable.Range(start, count).Select(i => (ReadOnlyMemory<byte>)inputs.Images[i % inputs.Images.Count])];
}

/// <summary>One split of <see cref="MachineLimitBenchmark.RunOverlapped"/>.</summary>
public sealed record ExecutorMeasurement(int DecodeWorkers, int IntraOpThreads, double ImagesPerSecond, double MeanBatchSize);
