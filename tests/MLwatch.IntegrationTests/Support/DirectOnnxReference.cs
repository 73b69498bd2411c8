using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLwatch.Inference.Datasets;
using MLwatch.Inference.Models;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// What the pipeline should produce, computed without any MLwatch inference code: raw IDX pixels, the normalization
/// written in config.json, one plain ONNX Runtime session, and a softmax over logits / temperature written out here.
/// </summary>
internal static class DirectOnnxReference
{
    public sealed record LabelExpectation(long Count, double MeanConfidence);

    /// <summary>Per label: how many of images [0, <paramref name="count"/>) are predicted as it, and their mean confidence.</summary>
    public static IReadOnlyDictionary<string, LabelExpectation> Classify(ModelDescriptor model, FashionMnistTestSet images, int count)
    {
        var counts = new long[model.Labels.Count];
        var sums = new double[model.Labels.Count];
        foreach (var (label, confidence) in Predict(model, images, count))
        {
            counts[label]++;
            sums[label] += confidence;
        }

        return Enumerable.Range(0, model.Labels.Count).ToDictionary(
            c => model.Labels[c],
            c => new LabelExpectation(counts[c], counts[c] == 0 ? 0 : sums[c] / counts[c]));
    }

    /// <summary>The top-1 label index and calibrated confidence of each of images [0, <paramref name="count"/>).</summary>
    public static IReadOnlyList<(int Label, double Confidence)> Predict(ModelDescriptor model, FashionMnistTestSet images, int count)
    {
        var config = model.Config;
        using var session = new InferenceSession(model.OnnxPath);
        var predictions = new List<(int Label, double Confidence)>(count);
        const int batch = 100;
        for (var start = 0; start < count; start += batch)
        {
            var size = Math.Min(batch, count - start);
            var input = new DenseTensor<float>([size, 1, config.Height, config.Width]);
            for (var i = 0; i < size; i++)
            {
                var pixels = images.GetPixels(start + i);
                for (var p = 0; p < pixels.Length; p++)
                {
                    input[i, 0, p / config.Width, p % config.Width] = (pixels[p] / config.Scale - config.Mean[0]) / config.Std[0];
                }
            }

            using var results = session.Run([NamedOnnxValue.CreateFromTensor(config.InputName, input)]);
            var logits = results.First(r => r.Name == config.OutputName).AsTensor<float>();
            for (var i = 0; i < size; i++)
            {
                var scores = Enumerable.Range(0, model.Labels.Count).Select(c => (double)logits[i, c] / config.Temperature).ToArray();
                var best = Array.IndexOf(scores, scores.Max());
                predictions.Add((best, 1.0 / scores.Sum(s => Math.Exp(s - scores[best]))));
            }
        }

        return predictions;
    }
}
