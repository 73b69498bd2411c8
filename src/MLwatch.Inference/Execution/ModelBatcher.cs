using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.ML.OnnxRuntime;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Telemetry;

namespace MLwatch.Inference.Execution;

/// <summary>
/// The dynamic batcher of one model version, Triton-style: preprocessed images from every caller of the silo queue
/// here, and one dedicated thread takes up to <see cref="ModelConfig.MaxBatchSize"/> of them, waiting at most
/// <see cref="ModelConfig.MaxQueueDelayMs"/> after the oldest for the batch to fill, runs ONNX Runtime on the batch and
/// completes each image. While a batch runs, the next one gathers, so decode workers and ONNX Runtime overlap.
/// </summary>
internal sealed class ModelBatcher : IDisposable
{
    private readonly ConcurrentQueue<PendingImage> _queue = new();
    private readonly SemaphoreSlim _queued = new(0);
    private readonly ModelSession _session;
    private readonly InferenceMetrics? _metrics;
    private readonly VersionServingStatistics _serving;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public ModelBatcher(ModelSession session, InferenceMetrics? metrics, VersionServingStatistics serving)
    {
        _session = session;
        _metrics = metrics;
        _serving = serving;
        Statistics = new BatchStatistics(session.Model.Config.MaxBatchSize);
        _thread = new Thread(Run) { IsBackground = true, Name = $"onnx-{session.Model.Name}@{session.Model.Version}" };
        _thread.Start();
    }

    public ModelDescriptor Model => _session.Model;

    public BatchStatistics Statistics { get; }

    /// <summary>Images waiting for a batch.</summary>
    public int Queued => _queue.Count;

    public void Enqueue(PendingImage image)
    {
        image.QueuedAt = Stopwatch.GetTimestamp();
        _queue.Enqueue(image);
        _queued.Release();
    }

    public void Dispose()
    {
        _stopping = true;
        _queued.Release();
        _thread.Join();
        while (_queue.TryDequeue(out var image))
        {
            Return(image);
            image.Job.Fail(new ObjectDisposedException(nameof(InferenceExecutor), "The inference executor stopped before the image was classified."));
        }

        _queued.Dispose();
    }

    private void Run()
    {
        var config = _session.Model.Config;
        var maxBatch = config.MaxBatchSize;
        var maxDelay = TimeSpan.FromMilliseconds(config.MaxQueueDelayMs);
        var input = new float[maxBatch * config.ImageTensorLength];
        var output = new float[maxBatch * _session.ClassCount];
        var batch = new List<PendingImage>(maxBatch);
        while (true)
        {
            _queued.Wait();
            if (!_queue.TryDequeue(out var first))
            {
                // Only the stop signal releases without an image.
                return;
            }

            batch.Add(first);
            while (batch.Count < maxBatch)
            {
                var wait = maxDelay - Stopwatch.GetElapsedTime(first.QueuedAt);
                if (!_queued.Wait(wait > TimeSpan.Zero ? wait : TimeSpan.Zero))
                {
                    break;
                }

                if (!_queue.TryDequeue(out var next))
                {
                    // The stop signal: run what was gathered, then stop at the next wait.
                    _queued.Release();
                    break;
                }

                batch.Add(next);
            }

            RunBatch(batch, input, output);
            batch.Clear();
            if (_stopping && _queue.IsEmpty)
            {
                return;
            }
        }
    }

    private void RunBatch(List<PendingImage> batch, float[] input, float[] output)
    {
        var length = _session.Model.Config.ImageTensorLength;
        var count = batch.Count;
        for (var i = 0; i < count; i++)
        {
            batch[i].Tensor.AsSpan(0, length).CopyTo(input.AsSpan(i * length, length));
            Return(batch[i]);
        }

        try
        {
            if (TryRun(input, 0, count, output, out _))
            {
                Completed(batch, output);
                return;
            }

            // ONNX Runtime failed on the batch as a whole: the model's failure, as the images were all preprocessed to its
            // shape. Each image is run alone, so a version that fails on some inputs refuses only those records.
            for (var i = 0; i < count; i++)
            {
                if (TryRun(input, i, 1, output, out var failure))
                {
                    Completed([batch[i]], output);
                    continue;
                }

                _serving.Refused(1);
                batch[i].Job.Complete(batch[i].Index, ClassificationOutcome.Rejected(new ImageRejection(
                    ImageRejectionReasons.ModelRunFailed,
                    $"Model {_session.Model} failed to run on this image ({failure.GetType().Name}: {failure.Message}); the version is at fault (see its serving statistics and supervision).")));
            }
        }
        catch (Exception exception)
        {
            // Not ONNX Runtime's answer to these inputs (the session was disposed, memory ran out): the callers' deliveries
            // fail and are retried.
            _serving.Refused(count);
            foreach (var image in batch)
            {
                image.Job.Fail(exception);
            }
        }
    }

    /// <summary>Runs the <paramref name="count"/> images from image <paramref name="first"/> of <paramref name="input"/> into the start of <paramref name="output"/>.</summary>
    private bool TryRun(float[] input, int first, int count, float[] output, [NotNullWhen(false)] out OnnxRuntimeException? failure)
    {
        var config = _session.Model.Config;
        var length = config.ImageTensorLength;
        long[] inputShape = config.IsChannelsLast
            ? [count, config.Height, config.Width, config.Channels]
            : [count, config.Channels, config.Height, config.Width];
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(first * length, count * length), inputShape);
            using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, count * _session.ClassCount), [count, (long)_session.ClassCount]);
            _session.Session.Run(_session.RunOptions, _session.InputNames, [inputValue], _session.OutputNames, [outputValue]);
        }
        catch (OnnxRuntimeException exception)
        {
            failure = exception;
            return false;
        }

        var inference = Stopwatch.GetElapsedTime(started);
        Statistics.Record(count, inference);
        _metrics?.BatchRan(_session.Model, count, inference);
        failure = null;
        return true;
    }

    /// <summary>Completes each image of <paramref name="batch"/>, whose scores are at the start of <paramref name="output"/> in order.</summary>
    private void Completed(List<PendingImage> batch, float[] output)
    {
        var config = _session.Model.Config;
        var classes = _session.ClassCount;
        _serving.Classified(batch);
        var labels = _session.Model.Labels;
        for (var i = 0; i < batch.Count; i++)
        {
            var scores = output.AsSpan(i * classes, classes);
            // A version that passed its smoke batch may still give NaN or infinite scores for some inputs: such a record
            // is refused (and counted against the version) rather than counted with a meaningless label.
            if (!AllFinite(scores))
            {
                _serving.Refused(1);
                batch[i].Job.Complete(batch[i].Index, ClassificationOutcome.Rejected(new ImageRejection(
                    ImageRejectionReasons.ModelOutputNotFinite,
                    $"Model {_session.Model} gave NaN or infinite scores for this image; the version is at fault (see its serving statistics and supervision).")));
                continue;
            }

            var best = Softmax.Top1(scores, config.OutputIsLogits, out var confidence, config.Temperature);
            var topK = batch[i].TopK > 0 ? Softmax.TopK(scores, config.OutputIsLogits, batch[i].TopK, config.Temperature) : null;
            batch[i].Job.Complete(batch[i].Index, ClassificationOutcome.Classified(best, labels[best], confidence, topK));
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> scores)
    {
        foreach (var score in scores)
        {
            if (!float.IsFinite(score))
            {
                return false;
            }
        }

        return true;
    }

    private static void Return(PendingImage image)
    {
        if (image.Tensor is { } tensor)
        {
            image.Tensor = null;
            ArrayPool<float>.Shared.Return(tensor);
        }
    }
}
