using MLwatch.Inference.Models;

namespace MLwatch.Inference.Tests.Support;

/// <summary>Model configs and descriptors for tests: hand-made configs, the bundled tiny ONNX model, and the real model when present.</summary>
internal static class TestModels
{
    public static string TinyRoot => Path.Combine(AppContext.BaseDirectory, "TestModels");

    public static ModelDescriptor Tiny => ModelDescriptor.Load(Path.Combine(TinyRoot, "tiny"));

    /// <summary>The committed models/fashion-mnist directory (config, labels, 1/model.onnx, testset/).</summary>
    public static string FashionMnistDirectory =>
        Path.Combine(ModelCatalog.LocateModelsRoot() ?? throw new DirectoryNotFoundException("models/ not found above the test binaries."), "fashion-mnist");

    /// <summary>models/fashion-mnist/testset: the gzipped IDX test images and labels.</summary>
    public static string FashionMnistTestSetDirectory => Path.Combine(FashionMnistDirectory, "testset");

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
