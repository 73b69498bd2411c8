using MLwatch.Inference.Datasets;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Tests.Support;
using Xunit.Abstractions;

namespace MLwatch.Inference.Tests;

/// <summary>End-to-end checks against the committed models/fashion-mnist model and test set.</summary>
public sealed class FashionMnistModelTests(ITestOutputHelper output) : IDisposable
{
    private const int SampleSize = 500;

    private readonly OnnxSessionCache _cache = new(new InferenceOptions());

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Classifies_test_set_sample_accurately_and_batch_equals_single()
    {
        var (model, set) = Load();
        var classifier = new ImageClassifier(_cache, new ImagePreprocessor(new InferenceOptions()));
        var images = Enumerable.Range(0, SampleSize).Select(i => (ReadOnlyMemory<byte>)set.EncodePng(i)).ToArray();

        var outcomes = classifier.Classify(model, images);

        Assert.All(outcomes, o => Assert.True(o.IsSuccess, o.Rejection?.Message));
        var correct = Enumerable.Range(0, SampleSize).Count(i => outcomes[i].LabelIndex == set.GetLabel(i));
        var accuracy = (double)correct / SampleSize;
        output.WriteLine($"accuracy on first {SampleSize} test images: {accuracy:P1}");
        Assert.True(accuracy >= 0.85, $"accuracy {accuracy:P1} < 85%");

        for (var i = 0; i < SampleSize; i++)
        {
            var single = classifier.Classify(model, images[i]);
            Assert.Equal(single.LabelIndex, outcomes[i].LabelIndex);
            Assert.Equal(single.Confidence, outcomes[i].Confidence, 1e-5f);
            Assert.Equal(model.Labels[single.LabelIndex], outcomes[i].Label);
        }
    }

    private static (ModelDescriptor Model, FashionMnistTestSet Set) Load()
    {
        var directory = TestModels.FashionMnistDirectory;
        return (ModelDescriptor.Load(directory), FashionMnistTestSet.Load(Path.Combine(directory, "testset")));
    }
}
