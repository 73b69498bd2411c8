using MLwatch.Inference.Execution;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Tests.Support;

namespace MLwatch.Inference.Tests.Execution;

public sealed class ServingStatisticsTests : IDisposable
{
    private readonly InferenceOptions _options = new() { DecodeWorkers = 2, IntraOpThreads = 1 };
    private readonly OnnxSessionCache _sessions;
    private readonly InferenceExecutor _executor;

    public ServingStatisticsTests()
    {
        _sessions = new OnnxSessionCache(_options);
        _executor = new InferenceExecutor(_sessions, new ImagePreprocessor(_options), _options);
    }

    public void Dispose()
    {
        _executor.Dispose();
        _sessions.Dispose();
    }

    [Fact]
    public async Task The_executor_counts_classified_and_refused_records_with_their_times_and_batches()
    {
        var model = TestModels.Tiny;
        ReadOnlyMemory<byte>[] images = [TestImages.Uniform(28, 28, 255), "not an image"u8.ToArray(), TestImages.Uniform(28, 28, 0), Array.Empty<byte>(), TestImages.Uniform(28, 28, 9)];

        await _executor.ClassifyAsync(model, images);
        await _executor.ClassifyAsync(model, images[..1]);

        var snapshot = Assert.Single(_executor.Serving.Snapshots());
        Assert.Equal((model.Name, model.Version), (snapshot.Model, snapshot.Version));
        Assert.Equal(4, snapshot.Records);
        Assert.Equal(2, snapshot.Errors);
        Assert.Equal(4, snapshot.ExecutorLatency.Sum(b => b.Count));
        Assert.Equal(4, snapshot.BatchSizes.Sum(b => b.Size * b.Batches));
        Assert.InRange(snapshot.MinMs, 0, snapshot.MaxMs);
        Assert.InRange(snapshot.TotalMs, snapshot.MaxMs, 4 * snapshot.MaxMs);
        Assert.Empty(snapshot.EndToEndLatency);
    }

    [Fact]
    public void Delivered_latencies_fill_the_end_to_end_histogram()
    {
        var statistics = new ModelServingStatistics();

        statistics.For("m", "1").Delivered([1.0, 2.0, 2.0]);

        var snapshot = Assert.Single(statistics.Snapshots());
        Assert.Equal([(1000L, 1L), (2000L, 2L)], snapshot.EndToEndLatency);
        Assert.Equal(0, snapshot.Records);
    }
}
