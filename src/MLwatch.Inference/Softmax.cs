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
}
