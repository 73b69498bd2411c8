namespace MLwatch.Inference;

/// <summary>Numerically stable softmax and top-1 selection over model output rows.</summary>
internal static class Softmax
{
    /// <summary>Writes softmax(<paramref name="logits"/>) into <paramref name="probabilities"/>, subtracting the maximum first.</summary>
    public static void Apply(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        if (probabilities.Length < logits.Length)
        {
            throw new ArgumentException("Destination is shorter than the logits.", nameof(probabilities));
        }

        var max = logits[ArgMax(logits)];
        var sum = 0f;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = MathF.Exp(logits[i] - max);
            probabilities[i] = e;
            sum += e;
        }

        var inverse = 1f / sum;
        for (var i = 0; i < logits.Length; i++)
        {
            probabilities[i] *= inverse;
        }
    }

    /// <summary>Index of the largest score; the first one wins ties.</summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("Scores are empty.", nameof(scores));
        }

        var best = 0;
        var bestValue = scores[0];
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > bestValue)
            {
                best = i;
                bestValue = scores[i];
            }
        }

        return best;
    }

    /// <summary>
    /// Top-1 index and its probability; <paramref name="scoresAreLogits"/> selects softmax(scores / <paramref name="temperature"/>),
    /// else scores are taken as probabilities.
    /// </summary>
    public static int Top1(ReadOnlySpan<float> scores, bool scoresAreLogits, out float confidence, float temperature = 1f)
    {
        var best = ArgMax(scores);
        if (!scoresAreLogits)
        {
            confidence = scores[best];
            return best;
        }

        // softmax(x / T)[best] = exp(0) / sum(exp((x - max) / T)), without materializing the other probabilities.
        var max = scores[best];
        var inverseTemperature = 1f / temperature;
        var sum = 0f;
        for (var i = 0; i < scores.Length; i++)
        {
            sum += MathF.Exp((scores[i] - max) * inverseTemperature);
        }

        confidence = 1f / sum;
        return best;
    }

    /// <summary>
    /// The <paramref name="k"/> most probable classes (probabilities as <see cref="Top1"/> computes them), best first;
    /// the first index wins ties. Allocates, so it runs only for callers that ask for it.
    /// </summary>
    public static ScoredClass[] TopK(ReadOnlySpan<float> scores, bool scoresAreLogits, int k, float temperature = 1f)
    {
        var probabilities = new float[scores.Length];
        if (scoresAreLogits)
        {
            var inverseTemperature = 1f / temperature;
            for (var i = 0; i < scores.Length; i++)
            {
                probabilities[i] = scores[i] * inverseTemperature;
            }

            Apply(probabilities, probabilities);
        }
        else
        {
            scores.CopyTo(probabilities);
        }

        var order = Enumerable.Range(0, scores.Length).ToArray();
        // A stable sort by descending probability keeps the lower index first among equals.
        return [.. order.OrderByDescending(i => probabilities[i]).Take(Math.Min(k, scores.Length)).Select(i => new ScoredClass(i, probabilities[i]))];
    }
}
