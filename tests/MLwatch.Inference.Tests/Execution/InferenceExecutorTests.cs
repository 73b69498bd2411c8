using MLwatch.Inference.Datasets;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Tests.Support;

namespace MLwatch.Inference.Tests.Execution;

public sealed class InferenceExecutorTests : IDisposable
{
    private readonly InferenceOptions _options = new() { DecodeWorkers = 2, IntraOpThreads = 1 };
    private readonly OnnxSessionCache _sessions;
    private readonly InferenceExecutor _executor;

    public InferenceExecutorTests()
    {
        _sessions = new OnnxSessionCache(_options);
        _executor = new InferenceExecutor(_sessions, new ImagePreprocessor(_options), _options);
    }

    public void Dispose()
    {
        _executor.Dispose();
        _sessions.Dispose();
    }

    [Fact]
    public async Task Outcomes_equal_the_plain_classifiers_in_input_order()
    {
        var model = ModelDescriptor.Load(TestModels.FashionMnistDirectory);
        var set = FashionMnistTestSet.Load(TestModels.FashionMnistTestSetDirectory);
        var images = Enumerable.Range(0, 300).Select(i => (ReadOnlyMemory<byte>)set.EncodePng(i)).ToArray();
        var expected = new ImageClassifier(_sessions, new ImagePreprocessor(_options)).Classify(model, images);

        var outcomes = await _executor.ClassifyAsync(model, images);

        Assert.Equal(expected.Select(o => o.LabelIndex), outcomes.Select(o => o.LabelIndex));
        Assert.All(outcomes.Zip(expected), pair => Assert.Equal(pair.Second.Confidence, pair.First.Confidence, 1e-5f));
    }

    [Fact]
    public async Task Rejected_images_keep_their_place_and_the_rest_are_classified()
    {
        var model = TestModels.Tiny;
        ReadOnlyMemory<byte>[] images = [TestImages.Uniform(28, 28, 255), "not an image"u8.ToArray(), TestImages.Uniform(28, 28, 0), Array.Empty<byte>()];

        var outcomes = await _executor.ClassifyAsync(model, images);

        Assert.Equal([9, -1, 0, -1], outcomes.Select(o => o.LabelIndex));
        Assert.Equal(ImageRejectionReasons.Undecodable, outcomes[1].Rejection!.Reason);
        Assert.Equal(ImageRejectionReasons.Empty, outcomes[3].Rejection!.Reason);
    }

    [Fact]
    public async Task Concurrent_callers_meet_in_shared_batches_no_larger_than_the_model_allows()
    {
        var model = TestModels.Tiny;
        var image = (ReadOnlyMemory<byte>)TestImages.Uniform(28, 28, 255);

        var calls = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => _executor.ClassifyAsync(model, [image, image, image]))));

        Assert.All(calls.SelectMany(c => c), o => Assert.Equal(9, o.LabelIndex));
        var statistics = _executor.BatchStatistics()[$"{model.Name}@{model.Version}"];
        Assert.Equal(120, statistics.Images);
        Assert.True(statistics.Batches < 120, $"{statistics.Batches} batches for 120 images: callers were not batched together");
        Assert.Equal(0, statistics.SizeCounts().Skip(model.Config.MaxBatchSize + 1).Sum());
        Assert.Equal(120, statistics.SizeCounts().Select((count, size) => count * size).Sum());
    }

    [Fact]
    public async Task A_model_that_cannot_be_loaded_fails_the_call_with_its_reason()
    {
        var model = TestModels.Descriptor(TestModels.Config(width: 28, height: 28));

        var error = await Assert.ThrowsAsync<ModelConfigurationException>(() => _executor.ClassifyAsync(model, [TestImages.Uniform(28, 28, 1)]));

        Assert.Contains("model file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_call_completes_at_once()
    {
        Assert.Empty(await _executor.ClassifyAsync(TestModels.Tiny, Array.Empty<ReadOnlyMemory<byte>>()));
    }

    [Fact]
    public async Task Top_k_is_returned_only_when_asked_and_a_preprocessed_tensor_gets_the_images_answer()
    {
        var model = ModelDescriptor.Load(TestModels.FashionMnistDirectory);
        var set = FashionMnistTestSet.Load(TestModels.FashionMnistTestSetDirectory);
        var png = set.EncodePng(1);
        var tensor = new float[model.Config.ImageTensorLength];
        Assert.True(new ImagePreprocessor(_options).TryPreprocess(png, model, tensor, out _));
        var tensorBytes = new byte[tensor.Length * sizeof(float)];
        for (var i = 0; i < tensor.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(tensorBytes.AsSpan(i * sizeof(float)), tensor[i]);
        }

        var outcomes = await _executor.ClassifyAsync(model, [new ClassificationInput(png), new ClassificationInput(png, TopK: 3), new ClassificationInput(tensorBytes, TopK: 3, IsTensor: true)]);

        Assert.Null(outcomes[0].TopK);
        Assert.Equal(3, outcomes[1].TopK!.Length);
        Assert.Equal(outcomes[1].LabelIndex, outcomes[1].TopK![0].Index);
        Assert.Equal(outcomes[1].Confidence, outcomes[1].TopK![0].Probability, 1e-5f);
        Assert.True(outcomes[1].TopK![0].Probability >= outcomes[1].TopK![1].Probability && outcomes[1].TopK![1].Probability >= outcomes[1].TopK![2].Probability);
        Assert.Equal(outcomes[1].TopK!.Select(c => c.Index), outcomes[2].TopK!.Select(c => c.Index));
        Assert.Equal(outcomes[1].Confidence, outcomes[2].Confidence, 1e-5f);
    }

    [Fact]
    public async Task Records_a_version_gives_non_finite_scores_for_are_refused_as_its_errors_and_the_rest_classified()
    {
        using var root = new TempDirectory();
        var model = VersionFrom(root, BrokenModels.LogOfSum(classes: 10));

        var outcomes = await _executor.ClassifyAsync(model, [Tensor(model, 0.5f), Tensor(model, -0.5f), Tensor(model, 0.25f)]);

        Assert.True(outcomes[0].IsSuccess && outcomes[2].IsSuccess);
        Assert.Equal(ImageRejectionReasons.ModelOutputNotFinite, outcomes[1].Rejection?.Reason);
        Assert.Contains("NaN or infinite scores", outcomes[1].Rejection!.Message, StringComparison.Ordinal);
        Assert.Equal(1, _executor.Serving.For(model).Snapshot().Errors);
    }

    [Fact]
    public async Task Records_a_version_fails_to_run_on_are_refused_as_its_errors_and_the_rest_of_their_batch_classified()
    {
        using var root = new TempDirectory();
        var model = VersionFrom(root, BrokenModels.FailsOnBrightImages(classes: 10));

        // Pixels summing to 0.78, 392 and 0.39: the batch fails, and alone only the bright one does.
        var outcomes = await _executor.ClassifyAsync(model, [Tensor(model, 0.001f), Tensor(model, 0.5f), Tensor(model, 0.0005f)]);

        Assert.True(outcomes[0].IsSuccess && outcomes[2].IsSuccess);
        Assert.Equal(ImageRejectionReasons.ModelRunFailed, outcomes[1].Rejection?.Reason);
        Assert.Contains("failed to run on this image (OnnxRuntimeException:", outcomes[1].Rejection!.Message, StringComparison.Ordinal);
        Assert.Contains("Gather", outcomes[1].Rejection!.Message, StringComparison.Ordinal);
        Assert.True(ImageRejectionReasons.IsVersionFault(outcomes[1].Rejection!.Reason));
        var serving = _executor.Serving.For(model).Snapshot();
        Assert.Equal(1, serving.Errors);
        Assert.Equal(2, serving.Records);
    }

    /// <summary>Version 7 of a copy of fashion-mnist under <paramref name="root"/> whose model.onnx is <paramref name="onnx"/>.</summary>
    private static ModelDescriptor VersionFrom(TempDirectory root, byte[] onnx)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root.Path, "fashion-mnist")).FullName;
        foreach (var file in new[] { "config.json", "labels.txt" })
        {
            File.Copy(Path.Combine(TestModels.FashionMnistDirectory, file), Path.Combine(directory, file));
        }

        Directory.CreateDirectory(Path.Combine(directory, "7"));
        File.WriteAllBytes(Path.Combine(directory, "7", "model.onnx"), onnx);
        return ModelRepository.LoadVersion(directory, "7");
    }

    private static ClassificationInput Tensor(ModelDescriptor model, float value)
    {
        var bytes = new byte[model.Config.ImageTensorLength * sizeof(float)];
        for (var i = 0; i < model.Config.ImageTensorLength; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), value);
        }

        return new ClassificationInput(bytes, IsTensor: true);
    }
}
