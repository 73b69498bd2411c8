using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Models;
using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Models;

/// <summary>
/// One silo on a test broker serving fashion-mnist (version 1) with a fallback model, fashion-mnist-fast (the committed
/// version 2's graph as a model of its own), and a deadline. While the primary answers in time it counts; once a test
/// seam of the executor holds the primary back, the fallback answers every record and is counted as such: under its own
/// model@version in the label statistics, and in the fallback share of GET /api/models/fashion-mnist/speculative. No
/// record is lost or counted twice: the counts of the answering versions add up to the records produced.
/// </summary>
public sealed class SpeculativeServingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Fallback = "fashion-mnist-fast";
    private const int RecordsPerPhase = 200;

    private readonly TestBroker _broker = new();
    private readonly string _scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mlwatch-speculative-tests", Guid.NewGuid().ToString("N")[..8])).FullName;
    private readonly HeldBackPrimary _primary = new();
    private SiloUnderTest _silo = null!;

    public async Task InitializeAsync()
    {
        var root = ModelVersions.CopyVersion1Root(_scratch);
        CopyAsFallbackModel(root);
        _silo = await SiloUnderTest.StartAsync(
            _broker.BootstrapServers,
            new Dictionary<string, string?>
            {
                ["Inference:ModelsRoot"] = root,
                [$"Models:Fallbacks:{ModelVersions.Model}:Model"] = Fallback,
                // Generous, so the primary is in time on a loaded machine until the test holds it back.
                [$"Models:Fallbacks:{ModelVersions.Model}:Deadline"] = "00:00:02",
            },
            builder => builder.Services.AddSingleton<IInferenceFaultInjection>(_primary));
    }

    public async Task DisposeAsync()
    {
        _primary.Release();
        await _silo.DisposeAsync();
        _broker.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task A_primary_past_its_deadline_is_answered_by_the_fallback_and_every_record_is_counted_once_under_the_version_that_answered()
    {
        await _broker.ProduceFashionMnistAsync(0, RecordsPerPhase);
        await WaitForAnsweredAsync(RecordsPerPhase);

        _primary.HoldBack = true;
        await _broker.ProduceFashionMnistAsync(RecordsPerPhase, 2 * RecordsPerPhase);
        await WaitForAnsweredAsync(2 * RecordsPerPhase);
        // Replays (checkpoints, rebalances) must not count anything twice: read again after a few checkpoint intervals.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var primary = await TotalAsync(ModelVersions.Model) ?? 0;
        var fallback = await TotalAsync(Fallback) ?? 0;
        Assert.Equal(2 * RecordsPerPhase, primary + fallback);
        Assert.True(fallback >= RecordsPerPhase, $"the fallback answered every record while the primary was held back: {fallback} fallback answers");
        Assert.True(primary > 0, "the primary answered while it was in time");

        var speculative = await _silo.GetJsonAsync($"api/models/{ModelVersions.Model}/speculative");
        Assert.Equal(Fallback, speculative.GetProperty("fallback").GetProperty("model").GetString());
        Assert.Equal(2 * RecordsPerPhase, speculative.GetProperty("total").GetInt64());
        Assert.Equal(fallback, speculative.GetProperty("fallbackAnswers").GetInt64());
        Assert.Equal(primary, speculative.GetProperty("primaryAnswers").GetInt64());
        var answers = speculative.GetProperty("answers");
        Assert.Equal(primary, answers.GetProperty($"{ModelVersions.Model}@1").GetInt64());
        Assert.Equal(fallback, answers.GetProperty($"{Fallback}@1").GetInt64());
        Assert.Equal((double)fallback / (2 * RecordsPerPhase), speculative.GetProperty("fallbackShare").GetDouble(), 9);
        Assert.Equal(0, await _silo.GetDeadLetteredAsync());
        var metric = await Eventually.ReachAsync(
            async () => (await _silo.Api.GetStringAsync("metrics")).Split('\n').FirstOrDefault(l => l.StartsWith("mlwatch_speculative_answers_total{", StringComparison.Ordinal) && l.Contains("fallback=\"true\"", StringComparison.Ordinal)),
            l => l is not null,
            "the fallback answers in the metrics");
        output.WriteLine(metric);
        output.WriteLine($"{2 * RecordsPerPhase} records: {primary} answered by {ModelVersions.Model}@1 in time, {fallback} by {Fallback}@1 past the 2 s deadline (fallback share {speculative.GetProperty("fallbackShare").GetDouble():P1}).");
    }

    /// <summary>Adds model fashion-mnist-fast to <paramref name="root"/>: fashion-mnist's files with the committed version 2 as its version 1.</summary>
    private static void CopyAsFallbackModel(string root)
    {
        var model = Directory.CreateDirectory(Path.Combine(root, Fallback)).FullName;
        var config = File.ReadAllText(Path.Combine(FashionMnistImages.ModelDirectory, "config.json")).Replace($"\"{ModelVersions.Model}\"", $"\"{Fallback}\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(model, "config.json"), config);
        File.Copy(Path.Combine(FashionMnistImages.ModelDirectory, "labels.txt"), Path.Combine(model, "labels.txt"));
        var version = Directory.CreateDirectory(Path.Combine(model, "1")).FullName;
        foreach (var file in Directory.EnumerateFiles(ModelVersions.Version2Directory))
        {
            File.Copy(file, Path.Combine(version, Path.GetFileName(file)));
        }
    }

    private Task WaitForAnsweredAsync(long expected) =>
        Eventually.ReachAsync(async () => (await TotalAsync(ModelVersions.Model) ?? 0) + (await TotalAsync(Fallback) ?? 0), t => t >= expected, $"{expected} records answered by the primary or the fallback");

    /// <summary>Predictions counted for version 1 of <paramref name="model"/>; null when the silo cannot answer now.</summary>
    private async Task<long?> TotalAsync(string model)
    {
        try
        {
            var labels = await _silo.Api.GetFromJsonAsync<JsonElement>($"api/models/{model}/labels?version=1");
            return labels.GetProperty("labels").EnumerateArray().Sum(l => l.GetProperty("count").GetInt64());
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The executor seam: once <see cref="HoldBack"/> is set, fashion-mnist's images wait until the test ends before they are queued.</summary>
    private sealed class HeldBackPrimary : IInferenceFaultInjection
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool HoldBack;

        public ValueTask BeforeClassifyAsync(ModelDescriptor model, CancellationToken cancellationToken) =>
            HoldBack && model.Name == ModelVersions.Model ? new ValueTask(_released.Task.WaitAsync(cancellationToken)) : ValueTask.CompletedTask;

        public void Release() => _released.TrySetResult();
    }
}
