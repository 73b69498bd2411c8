using BenchmarkDotNet.Attributes;
using MLwatch.Inference;
using MLwatch.Inference.Datasets;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;

namespace MLwatch.Benchmarks;

/// <summary>
/// The inference executor on fashion-mnist: 64 images handed over by one caller or by eight at once (their images meet
/// in shared batches), against the plain serial classifier on the same images.
/// </summary>
[MemoryDiagnoser]
public class ExecutorBenchmarks
{
    private const int Images = 64;
    private readonly InferenceOptions _options = new();
    private OnnxSessionCache _sessions = null!;
    private InferenceExecutor _executor = null!;
    private ImageClassifier _classifier = null!;
    private ModelDescriptor _model = null!;
    private ReadOnlyMemory<byte>[] _images = [];

    [GlobalSetup]
    public void Setup()
    {
        _model = Models.FashionMnist;
        var set = FashionMnistTestSet.Load(Path.Combine(Models.Root, "fashion-mnist", "testset"));
        _images = [.. Enumerable.Range(0, Images).Select(i => (ReadOnlyMemory<byte>)set.EncodePng(i))];
        _sessions = new OnnxSessionCache(_options);
        _executor = new InferenceExecutor(_sessions, new ImagePreprocessor(_options), _options);
        _classifier = new ImageClassifier(_sessions, new ImagePreprocessor(_options));
        _classifier.Classify(_model, _images);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _executor.Dispose();
        _sessions.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Images)]
    public int SerialClassifier() => _classifier.Classify(_model, _images).Count;

    [Benchmark(OperationsPerInvoke = Images)]
    public async Task<int> ExecutorOneCaller() => (await _executor.ClassifyAsync(_model, _images)).Length;

    [Benchmark(OperationsPerInvoke = Images * 8)]
    public async Task<int> ExecutorEightCallers() =>
        (await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _executor.ClassifyAsync(_model, _images)))).Sum(o => o.Length);
}
