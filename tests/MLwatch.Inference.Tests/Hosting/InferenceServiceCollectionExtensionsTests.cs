using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MLwatch.Inference.Hosting;
using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Tests.Support;

namespace MLwatch.Inference.Tests.Hosting;

public sealed class InferenceServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_singletons_configured_from_the_action()
    {
        using var provider = new ServiceCollection()
            .AddMLwatchInference(o =>
            {
                o.ModelsRoot = TestModels.TinyRoot;
                o.DefaultModel = "tiny";
            })
            .BuildServiceProvider();

        var catalog = provider.GetRequiredService<ModelCatalog>();
        var classifier = provider.GetRequiredService<ImageClassifier>();

        Assert.Equal("tiny", catalog.Default.Name);
        Assert.Same(catalog, provider.GetRequiredService<ModelCatalog>());
        Assert.Same(classifier, provider.GetRequiredService<ImageClassifier>());
        Assert.Same(provider.GetRequiredService<OnnxSessionCache>(), provider.GetRequiredService<OnnxSessionCache>());
        Assert.Equal(9, classifier.Classify(catalog.Default, TestImages.Uniform(28, 28, 255)).LabelIndex);
    }

    [Fact]
    public void Invalid_options_fail_with_every_problem_named()
    {
        using var provider = new ServiceCollection()
            .AddMLwatchInference(o =>
            {
                o.MaxPixels = 0;
                o.IntraOpThreads = 0;
            })
            .BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ModelCatalog>());

        Assert.Contains("InferenceOptions.MaxPixels must be between 1 and", exception.Message, StringComparison.Ordinal);
        Assert.Contains("InferenceOptions.IntraOpThreads must be >= 1, was 0.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        var options = new InferenceOptions();

        Assert.Empty(options.GetValidationErrors());
        Assert.Equal(4096L * 4096, options.MaxPixels);
        // The inference thread budget splits the processors between decode workers and ONNX Runtime.
        Assert.Equal(Math.Max(Environment.ProcessorCount, 2), options.DecodeWorkers + options.IntraOpThreads);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), options.DecodeWorkers);
    }
}
