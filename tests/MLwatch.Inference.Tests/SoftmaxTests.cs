namespace MLwatch.Inference.Tests;

public sealed class SoftmaxTests
{
    [Fact]
    public void Matches_known_probabilities()
    {
        var probabilities = new float[3];

        Softmax.Apply([1f, 2f, 3f], probabilities);

        Assert.Equal(0.09003057f, probabilities[0], 1e-6f);
        Assert.Equal(0.24472847f, probabilities[1], 1e-6f);
        Assert.Equal(0.66524096f, probabilities[2], 1e-6f);
    }

    [Theory]
    [InlineData(1000f)]
    [InlineData(-1000f)]
    [InlineData(1e30f)]
    public void Is_stable_for_large_magnitudes(float offset)
    {
        var probabilities = new float[3];

        Softmax.Apply([offset + 1f, offset + 2f, offset + 3f], probabilities);

        Assert.All(probabilities, p => Assert.True(float.IsFinite(p)));
        Assert.Equal(1f, probabilities.Sum(), 1e-6f);
        if (MathF.Abs(offset) < 1e6f)
        {
            Assert.Equal(0.66524096f, probabilities[2], 1e-6f);
        }
    }

    [Fact]
    public void Extreme_gap_gives_certainty_without_nan()
    {
        var probabilities = new float[2];

        Softmax.Apply([-3e38f, 3e38f], probabilities);

        Assert.Equal([0f, 1f], probabilities);
    }

    [Fact]
    public void Top1_of_logits_equals_softmax_maximum()
    {
        float[] logits = [0.5f, 4f, -2f, 3.9f];
        var probabilities = new float[4];
        Softmax.Apply(logits, probabilities);

        var best = Softmax.Top1(logits, scoresAreLogits: true, out var confidence);

        Assert.Equal(1, best);
        Assert.Equal(probabilities[1], confidence, 1e-7f);
    }

    [Fact]
    public void Top1_with_a_temperature_is_the_softmax_of_scaled_logits()
    {
        // softmax([2, 0] / 2) = [e / (e + 1), 1 / (e + 1)]
        var best = Softmax.Top1([2f, 0f], scoresAreLogits: true, out var confidence, temperature: 2f);

        Assert.Equal(0, best);
        Assert.Equal(MathF.E / (MathF.E + 1), confidence, 1e-6f);
    }

    [Fact]
    public void Top1_of_probabilities_is_taken_as_is()
    {
        var best = Softmax.Top1([0.1f, 0.2f, 0.7f], scoresAreLogits: false, out var confidence);

        Assert.Equal(2, best);
        Assert.Equal(0.7f, confidence);
    }

    [Fact]
    public void Ties_pick_the_first_index()
    {
        Assert.Equal(0, Softmax.ArgMax([2f, 2f, 1f]));
    }
}
