using MLwatch.Inference.Datasets;

namespace MLwatch.Cli.Producing;

/// <summary>The committed Fashion-MNIST test set, encoded as PNG, with ground-truth labels.</summary>
public sealed class FashionMnistSource(FashionMnistTestSet testSet, IReadOnlyList<string> labels) : IImageSource
{
    public int Count => testSet.Count;

    public IReadOnlyList<string> ClassNames => labels;

    public SourceImage Get(int index)
    {
        var i = index % testSet.Count;
        return new SourceImage(Id(index), testSet.EncodePng(i), labels[testSet.GetLabel(i)]);
    }

    public string GetLabel(int index) => labels[testSet.GetLabel(index % testSet.Count)];

    /// <summary>The raw 28x28 gray pixels, without a PNG round trip.</summary>
    public SourceRaster GetRaster(int index)
    {
        var i = index % testSet.Count;
        return new SourceRaster(Id(index), RasterImage.Gray(testSet.Width, testSet.Height, testSet.GetPixels(i)), labels[testSet.GetLabel(i)]);
    }

    private string Id(int index) => $"fashion-mnist-test-{index % testSet.Count}-{index / testSet.Count}";
}
