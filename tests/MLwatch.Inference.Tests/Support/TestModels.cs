using MLwatch.Inference.Datasets;
using MLwatch.Inference.Models;

namespace MLwatch.Inference.Tests.Support;

/// <summary>Model configs and descriptors for tests: hand-made configs, the bundled tiny ONNX model, and the real model when present.</summary>
internal static class TestModels
{
    public static string TinyRoot => Path.Combine(AppContext.BaseDirectory, "TestModels");

    public static ModelDescriptor Tiny => ModelDescriptor.Load(Path.Combine(TinyRoot, "tiny"));

    /// <summary>models/fashion-mnist when config, labels, model and test set are all present; otherwise null.</summary>
    public static string? FashionMnistDirectory
    {
        get
        {
            var testSet = FashionMnistTestSetDirectory;
            var directory = testSet is null ? null : Path.GetDirectoryName(testSet)!;
            return directory is not null
                && File.Exists(Path.Combine(directory, "config.json"))
                && File.Exists(Path.Combine(directory, "labels.txt"))
                && File.Exists(Path.Combine(directory, "1", "model.onnx"))
                ? directory
                : null;
        }
    }

    /// <summary>models/fashion-mnist/testset when both gzipped IDX files are present; otherwise null.</summary>
    public static string? FashionMnistTestSetDirectory
    {
        get
        {
            var root = ModelCatalog.LocateModelsRoot();
            var directory = root is null ? null : Path.Combine(root, "fashion-mnist", "testset");
            return directory is not null
                && File.Exists(Path.Combine(directory, FashionMnistTestSet.ImagesFileName))
                && File.Exists(Path.Combine(directory, FashionMnistTestSet.LabelsFileName))
                ? directory
                : null;
        }
    }

    public static ModelConfig Config(
        int width = 2,
        int height = 2,
        int channels = 1,
        string layout = ModelConfig.LayoutNchw,
        float scale = 255f,
        float[]? mean = null,
        float[]? std = null,
        string outputKind = ModelConfig.OutputLogits,
        int maxBatchSize = 8) =>
        new()
        {
            Name = "test",
            Version = "1",
            InputName = "input",
            OutputName = "logits",
            Layout = layout,
            Width = width,
            Height = height,
            Channels = channels,
            Scale = scale,
            Mean = mean ?? Enumerable.Repeat(0.5f, channels).ToArray(),
            Std = std ?? Enumerable.Repeat(0.25f, channels).ToArray(),
            OutputKind = outputKind,
            MaxBatchSize = maxBatchSize,
        };

    public static ModelDescriptor Descriptor(ModelConfig config) =>
        new(config, Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray(), "/nonexistent/model.onnx");
}
