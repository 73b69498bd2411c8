using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Telemetry;

namespace MLwatch.Inference.Execution;

/// <summary>
/// The silo's inference executor. Callers (grain turns) only hand images over and await their outcomes; the work runs
/// on threads of its own, never on Orleans' scheduler or the .NET thread pool, so a large model cannot stall membership
/// probes, timers or API reads:
/// <list type="bullet">
/// <item><see cref="InferenceOptions.DecodeWorkers"/> decode workers take images from one bounded queue (callers wait
/// while it is full) and decode, resize and normalize them into pooled tensors;</item>
/// <item>one <see cref="ModelBatcher"/> per model version gathers those tensors from every caller into batches and runs
/// ONNX Runtime (with <see cref="InferenceOptions.IntraOpThreads"/> threads of its own) while the next batch gathers.</item>
/// </list>
/// Decode workers plus intra-op threads are the silo's inference thread budget; their defaults split the cores.
/// </summary>
public sealed class InferenceExecutor : IDisposable
{
    private readonly OnnxSessionCache _sessions;
    private readonly ImagePreprocessor _preprocessor;
    private readonly Channel<PendingImage> _decodeQueue;
    private readonly Thread[] _decodeWorkers;
    private readonly ConcurrentDictionary<(string Name, string Version), Lazy<ModelBatcher>> _batchers = new();
    private readonly InferenceMetrics? _metrics;
    private readonly IInferenceFaultInjection? _faults;
    private volatile bool _disposed;

    /// <summary>
    /// Starts the decode workers; batchers start with the first image of their model and report each batch to
    /// <paramref name="metrics"/>. Every record's outcome is counted in <paramref name="serving"/> (a new one when null).
    /// <paramref name="faults"/> is for tests only (see <see cref="IInferenceFaultInjection"/>).
    /// </summary>
    public InferenceExecutor(OnnxSessionCache sessions, ImagePreprocessor preprocessor, InferenceOptions options, InferenceMetrics? metrics = null, ModelServingStatistics? serving = null, IInferenceFaultInjection? faults = null)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(preprocessor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _sessions = sessions;
        _preprocessor = preprocessor;
        _metrics = metrics;
        _faults = faults;
        Serving = serving ?? new ModelServingStatistics();
        _decodeQueue = Channel.CreateBounded<PendingImage>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
        _decodeWorkers = [.. Enumerable.Range(0, options.DecodeWorkers).Select(i => new Thread(Decode) { IsBackground = true, Name = $"inference-decode-{i}" })];
        foreach (var worker in _decodeWorkers)
        {
            worker.Start();
        }
    }

    /// <summary>What each model version served on this silo: records, errors, latencies, batch sizes.</summary>
    public ModelServingStatistics Serving { get; }

    /// <summary>Images waiting for a decode worker.</summary>
    public int QueuedForDecode => _decodeQueue.Reader.Count;

    /// <summary>
    /// Classifies <paramref name="images"/> with <paramref name="model"/>: one outcome per image, in order. Unusable images
    /// become rejected outcomes; a model that cannot be loaded or run fails the task.
    /// </summary>
    public Task<ClassificationOutcome[]> ClassifyAsync(ModelDescriptor model, IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        return ClassifyAsync(model, [.. images.Select(image => new ClassificationInput(image))], cancellationToken);
    }

    /// <summary>
    /// Classifies <paramref name="inputs"/> (encoded images or preprocessed tensors, each with the top-k it asks for) with
    /// <paramref name="model"/>, like <see cref="ClassifyAsync(ModelDescriptor, IReadOnlyList{ReadOnlyMemory{byte}}, CancellationToken)"/>.
    /// </summary>
    public async Task<ClassificationOutcome[]> ClassifyAsync(ModelDescriptor model, IReadOnlyList<ClassificationInput> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faults is not null)
        {
            await _faults.BeforeClassifyAsync(model, cancellationToken);
        }

        var job = new ClassificationJob(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            await _decodeQueue.Writer.WriteAsync(new PendingImage(job, i, model, inputs[i]), cancellationToken);
        }

        return await job.Completion;
    }

    /// <summary>Batch statistics of every model version run on this silo so far.</summary>
    public IReadOnlyDictionary<string, BatchStatistics> BatchStatistics() =>
        _batchers.Where(b => b.Value.IsValueCreated).ToDictionary(b => $"{b.Key.Name}@{b.Key.Version}", b => b.Value.Value.Statistics, StringComparer.Ordinal);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _decodeQueue.Writer.TryComplete();
        foreach (var worker in _decodeWorkers)
        {
            worker.Join();
        }

        foreach (var batcher in _batchers.Values.Where(b => b.IsValueCreated))
        {
            batcher.Value.Dispose();
        }
    }

    private void Decode()
    {
        var reader = _decodeQueue.Reader;
        while (true)
        {
            if (!reader.TryRead(out var image))
            {
                // A dedicated thread: blocking here is its job.
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }

                continue;
            }

            Preprocess(image);
        }
    }

    private void Preprocess(PendingImage image)
    {
        ModelBatcher batcher;
        try
        {
            batcher = BatcherFor(image.Model);
        }
        catch (Exception exception)
        {
            Serving.For(image.Model).Refused(1);
            image.Job.Fail(exception);
            return;
        }

        var tensor = ArrayPool<float>.Shared.Rent(image.Model.Config.ImageTensorLength);
        ImageRejection? rejection;
        if (image.IsTensor
            ? !TensorInput.TryCopy(image.Encoded.Span, image.Model.Config.ImageTensorLength, tensor, out rejection)
            : !_preprocessor.TryPreprocess(image.Encoded.Span, image.Model, tensor, out rejection))
        {
            ArrayPool<float>.Shared.Return(tensor);
            Serving.For(image.Model).Refused(1);
            image.Job.Complete(image.Index, ClassificationOutcome.Rejected(rejection!));
            return;
        }

        image.Tensor = tensor;
        batcher.Enqueue(image);
    }

    private ModelBatcher BatcherFor(ModelDescriptor model)
    {
        var key = (model.Name, model.Version);
        var lazy = _batchers.GetOrAdd(key, _ => new Lazy<ModelBatcher>(() => new ModelBatcher(_sessions.GetSession(model), _metrics, Serving.For(model)), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A model that failed to load is tried again by the next image (it may have been fixed).
            _batchers.TryRemove(KeyValuePair.Create(key, lazy));
            throw;
        }
    }
}
