namespace MLwatch.Inference.Tests.Support;

/// <summary>A fact that is skipped until models/fashion-mnist (config, labels, model.onnx, test set) exists.</summary>
internal sealed class RequiresFashionMnistFactAttribute : FactAttribute
{
    public RequiresFashionMnistFactAttribute()
    {
        if (TestModels.FashionMnistDirectory is null)
        {
            Skip = "models/fashion-mnist (config.json, labels.txt, 1/model.onnx, testset/*.gz) is not present yet.";
        }
    }
}
