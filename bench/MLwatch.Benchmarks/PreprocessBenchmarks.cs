using BenchmarkDotNet.Attributes;
using MLwatch.Inference;
using MLwatch.Inference.Datasets;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;

namespace MLwatch.Benchmarks;

/// <summary>Decode + resize + normalize of one image into its model tensor: a 28 x 28 PNG for fashion-mnist, a 640 x 640 JPEG for a 224 x 224 RGB model.</summary>
[MemoryDiagnoser]
public class PreprocessBenchmarks
{
    private readonly ImagePreprocessor _preprocessor = new(new InferenceOptions());
    private ModelDescriptor _fashionMnist = null!;
    private ModelDescriptor? _mobileNet;
    private byte[] _png = [];
    private byte[] _jpeg = [];
    private float[] _tensor = [];

    [GlobalSetup]
    public void Setup()
    {
        _fashionMnist = Models.FashionMnist;
        _mobileNet = Models.MobileNetV2;
        _png = FashionMnistTestSet.Load(Path.Combine(Models.Root, "fashion-mnist", "testset")).EncodePng(0);
        _jpeg = Models.PhotoJpeg();
        _tensor = new float[Math.Max(_fashionMnist.Config.ImageTensorLength, _mobileNet?.Config.ImageTensorLength ?? 0)];
    }

    [Benchmark(Baseline = true)]
    public void FashionMnistPng() => _preprocessor.Preprocess(_png, _fashionMnist, _tensor);

    /// <summary>Skipped (returns at once) until models/bench/export.py has made mobilenet-v2.</summary>
    [Benchmark]
    public void PhotoJpegTo224()
    {
        if (_mobileNet is not null)
        {
            _preprocessor.Preprocess(_jpeg, _mobileNet, _tensor);
        }
    }
}
