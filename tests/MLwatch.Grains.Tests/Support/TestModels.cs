using MLwatch.Inference;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Tests.Support;

/// <summary>The tiny ONNX model of MLwatch.Inference.Tests, copied to TestModels/tiny in the output directory.</summary>
internal static class TestModels
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "TestModels");

    public static ModelCatalog Catalog(int maxImageBytes = InferenceOptions.DefaultMaxImageBytes) =>
        new(Options(maxImageBytes));

    public static InferenceOptions Options(int maxImageBytes = InferenceOptions.DefaultMaxImageBytes) =>
        new() { ModelsRoot = Root, DefaultModel = "tiny", MaxImageBytes = maxImageBytes };
}
