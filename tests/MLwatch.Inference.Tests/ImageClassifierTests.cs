using MLwatch.Inference.Imaging;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Tests.Support;

namespace MLwatch.Inference.Tests;

public sealed class ImageClassifierTests : IDisposable
{
    private readonly OnnxSessionCache _cache = new(new InferenceOptions());
    private readonly ImageClassifier _classifier;

    public ImageClassifierTests()
    {
        _classifier = new ImageClassifier(_cache, new ImagePreprocessor(new InferenceOptions()));
    }

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Tiny_model_scores_bright_images_high_and_dark_images_low()
    {
        // tiny: logit k = (k - 4.5) * mean(normalized pixels); white normalizes to +1, black to -1.
        var model = TestModels.Tiny;

        var white = _classifier.Classify(model, TestImages.Uniform(28, 28, 255));
        var black = _classifier.Classify(model, TestImages.Uniform(28, 28, 0));

        var expected = new float[10];
        Softmax.Apply(Enumerable.Range(0, 10).Select(k => k - 4.5f).ToArray(), expected);
        Assert.True(white.IsSuccess);
        Assert.Equal((9, "c9"), (white.LabelIndex, white.Label));
        Assert.Equal(expected[9], white.Confidence, 1e-5f);
        Assert.Equal((0, "c0"), (black.LabelIndex, black.Label));
        Assert.Equal(expected[9], black.Confidence, 1e-5f);
    }

    [Fact]
    public void Rejections_stay_in_place_and_do_not_abort_the_batch()
    {
        var model = TestModels.Tiny;
        ReadOnlyMemory<byte>[] images =
        [
            TestImages.Uniform(28, 28, 255),
            ReadOnlyMemory<byte>.Empty,
            "garbage"u8.ToArray(),
            TestImages.Uniform(28, 28, 0),
            TestImages.BmpHeader(60000, 60000, 16),
            TestImages.Uniform(56, 56, 255),
        ];

        var outcomes = _classifier.Classify(model, images);

        Assert.Equal(images.Length, outcomes.Count);
        Assert.Equal(9, outcomes[0].LabelIndex);
        Assert.Equal(ImageRejectionReasons.Empty, outcomes[1].Rejection?.Reason);
        Assert.Equal(ImageRejectionReasons.Undecodable, outcomes[2].Rejection?.Reason);
        Assert.Equal(0, outcomes[3].LabelIndex);
        Assert.Equal(ImageRejectionReasons.DimensionsExceedLimit, outcomes[4].Rejection?.Reason);
        Assert.Equal(9, outcomes[5].LabelIndex);
        Assert.False(outcomes[1].IsSuccess);
        Assert.Equal(-1, outcomes[1].LabelIndex);
        Assert.Null(outcomes[1].Label);
    }

    [Fact]
    public void Batches_larger_than_max_batch_size_match_single_image_results()
    {
        // tiny has maxBatchSize 4, so 11 images run as chunks of 4, 4, 3.
        var model = TestModels.Tiny;
        var random = new Random(3);
        var images = Enumerable.Range(0, 11).Select(_ =>
        {
            var pixels = new byte[28 * 28];
            random.NextBytes(pixels);
            return (ReadOnlyMemory<byte>)TestImages.EncodeGray(28, 28, pixels);
        }).ToArray();

        var batch = _classifier.Classify(model, images);

        for (var i = 0; i < images.Length; i++)
        {
            var single = _classifier.Classify(model, images[i]);
            Assert.Equal(single.LabelIndex, batch[i].LabelIndex);
            Assert.Equal(single.Confidence, batch[i].Confidence, 1e-5f);
        }
    }

    [Fact]
    public void Empty_batch_returns_no_outcomes()
    {
        Assert.Empty(_classifier.Classify(TestModels.Tiny, Array.Empty<ReadOnlyMemory<byte>>()));
    }

    [Fact]
    public void Concurrent_callers_get_consistent_results()
    {
        var model = TestModels.Tiny;
        ReadOnlyMemory<byte>[] images = [TestImages.Uniform(28, 28, 255), TestImages.Uniform(28, 28, 0)];

        Parallel.For(0, 64, _ =>
        {
            var outcomes = _classifier.Classify(model, images);
            Assert.Equal(9, outcomes[0].LabelIndex);
            Assert.Equal(0, outcomes[1].LabelIndex);
        });
    }
}
