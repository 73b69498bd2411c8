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
}
