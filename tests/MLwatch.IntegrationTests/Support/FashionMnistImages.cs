using MLwatch.Inference.Datasets;
using MLwatch.Inference.Models;

namespace MLwatch.IntegrationTests.Support;

/// <summary>The committed Fashion-MNIST test set and the model served for it.</summary>
internal static class FashionMnistImages
{
    private static readonly Lazy<FashionMnistTestSet> Set = new(() => FashionMnistTestSet.Load(Path.Combine(ModelDirectory, "testset")));

    public static string ModelDirectory =>
        Path.Combine(ModelCatalog.LocateModelsRoot() ?? throw new DirectoryNotFoundException("models/ not found above the test binaries."), "fashion-mnist");

    public static FashionMnistTestSet TestSet => Set.Value;

    public static ModelDescriptor Model => ModelDescriptor.Load(ModelDirectory);
}
