using MLwatch.Inference.Datasets;
using MLwatch.Inference.Models;

namespace MLwatch.Cli.Producing;

/// <summary>Resolves a --source argument: "fashion-mnist" (the committed test set) or a directory of images.</summary>
public static class ImageSources
{
    public const string FashionMnist = "fashion-mnist";

    public static IImageSource Open(string source)
    {
        if (!string.Equals(source, FashionMnist, StringComparison.OrdinalIgnoreCase))
        {
            return new DirectorySource(source);
        }

        var modelsRoot = ModelCatalog.LocateModelsRoot(Directory.GetCurrentDirectory()) ?? ModelCatalog.LocateModelsRoot()
            ?? throw new DirectoryNotFoundException("Cannot find the models/ directory with the Fashion-MNIST test set; run from the MLwatch checkout.");
        var modelDirectory = Path.Combine(modelsRoot, FashionMnist);
        var labels = File.ReadAllLines(Path.Combine(modelDirectory, "labels.txt")).Where(l => l.Length > 0).ToArray();
        return new FashionMnistSource(FashionMnistTestSet.Load(Path.Combine(modelDirectory, "testset")), labels);
    }
}
