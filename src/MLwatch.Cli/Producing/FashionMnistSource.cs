using MLwatch.Inference.Datasets;

namespace MLwatch.Cli.Producing;

/// <summary>The committed Fashion-MNIST test set, encoded as PNG, with ground-truth labels.</summary>
public sealed class FashionMnistSource(FashionMnistTestSet testSet, IReadOnlyList<string> labels) : IImageSource
{
    public int Count => testSet.Count;

    public SourceImage Get(int index)
    {
        var i = index % testSet.Count;
        return new SourceImage($"fashion-mnist-test-{i}-{index / testSet.Count}", testSet.EncodePng(i), labels[testSet.GetLabel(i)]);
    }
}
