using MLwatch.Inference.Models;

namespace MLwatch.Inference.Tests.Support;

/// <summary>Model configs and descriptors for tests: hand-made configs, the bundled tiny ONNX model, and the real model when present.</summary>
internal static class TestModels
{
    public static string TinyRoot => Path.Combine(AppContext.BaseDirectory, "TestModels");

    public static ModelDescriptor Tiny => ModelDescriptor.Load(Path.Combine(TinyRoot, "tiny"));

    public static string? FashionMnistDirectory
    {
        get
        {
            var root = ModelCatalog.LocateModelsRoot();
            var directory = root is null ? null : Path.Combine(root, "fashion-mnist");
            return directory is not null
                && File.Exists(Path.Combine(directory, "config.json"))
                && File.Exists(Path.Combine(directory, "labels.txt"))
                && File.Exists(Path.Combine(directory, "1", "model.onnx"))
                && File.Exists(Path.Combine(directory, "testset", "t10k-images-idx3-ubyte.gz"))
                && File.Exists(Path.Combine(directory, "testset", "t10k-labels-idx1-ubyte.gz"))
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
