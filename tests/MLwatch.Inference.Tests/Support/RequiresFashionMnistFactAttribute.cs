namespace MLwatch.Inference.Tests.Support;

/// <summary>A fact skipped until models/fashion-mnist exists: the test set, and unless <c>testSetOnly</c>, config, labels and 1/model.onnx.</summary>
internal sealed class RequiresFashionMnistFactAttribute : FactAttribute
{
    public RequiresFashionMnistFactAttribute(bool testSetOnly = false)
    {
        var present = testSetOnly ? TestModels.FashionMnistTestSetDirectory is not null : TestModels.FashionMnistDirectory is not null;
        if (!present)
        {
            Skip = testSetOnly
                ? "models/fashion-mnist/testset/*.gz is not present yet."
                : "models/fashion-mnist (config.json, labels.txt, 1/model.onnx, testset/*.gz) is not present yet.";
        }
    }
}
