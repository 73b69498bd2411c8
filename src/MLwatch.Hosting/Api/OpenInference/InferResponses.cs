using MLwatch.Abstractions.Inference;

namespace MLwatch.Hosting.Api.OpenInference;

/// <summary>The outputs of an answered infer call: one row per image.</summary>
internal static class InferResponses
{
    public const string Label = "label";
    public const string Confidence = "confidence";
    public const string TopKLabels = "top_k_labels";
    public const string TopKScores = "top_k_scores";

    public static InferResponseJson From(string model, string id, IReadOnlyList<InferenceReply> replies, int topK)
    {
        var n = replies.Count;
        var outputs = new List<InferOutputJson>
        {
            new(Label, "BYTES", [n], replies.Select(r => r.Label!).ToArray()),
            new(Confidence, "FP32", [n], replies.Select(r => r.Confidence).ToArray()),
        };
        if (topK > 0)
        {
            // Row-major [n, k]; k is what the model's classes allow (top_k was capped at their count).
            var k = replies[0].TopLabels.Length;
            outputs.Add(new(TopKLabels, "BYTES", [n, k], replies.SelectMany(r => r.TopLabels).ToArray()));
            outputs.Add(new(TopKScores, "FP32", [n, k], replies.SelectMany(r => r.TopScores).ToArray()));
        }

        return new InferResponseJson(model, replies[0].Version, id, outputs);
    }
}
