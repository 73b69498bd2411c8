using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.OpenInference;

/// <summary>Infer requests over Fashion-MNIST test images, and the predictions ONNX Runtime makes for them run directly.</summary>
internal static class OipRequests
{
    public const string Model = "fashion-mnist";

    /// <summary>One BYTES input carrying test image <paramref name="index"/> as a base64 PNG.</summary>
    public static OipRequest Image(int index, string? id, int? topK = null) => new(
        id,
        [new OipRequestInput("image", [1], "BYTES", new[] { Convert.ToBase64String(FashionMnistImages.TestSet.EncodePng(index)) })],
        topK is { } k ? new Dictionary<string, object> { ["top_k"] = k } : null);

    /// <summary>ONNX Runtime's top-1 label for each of the first <paramref name="count"/> test images.</summary>
    public static string[] ExpectedLabels(int count)
    {
        var model = FashionMnistImages.Model;
        return [.. DirectOnnxReference.Predict(model, FashionMnistImages.TestSet, count).Select(p => model.Labels[p.Label])];
    }
}
