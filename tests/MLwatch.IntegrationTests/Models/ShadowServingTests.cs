using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MLwatch.Grains.Shadow;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Models;
using MLwatch.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Models;

/// <summary>
/// One silo on a test broker serving fashion-mnist version 1, with the committed version 2 published as a candidate:
/// version 2 scores every record in the shadow of version 1, and what the shadow comparison reports — agreement, the
/// confusion of v1 labels against v2 labels, both accuracies — equals, cell for cell, what plain ONNX Runtime gives for
/// the same images (the two versions disagree on a known subset of them). Version 2's answers are not counted as live
/// predictions; promote makes it the active version in one call.
/// </summary>
public sealed class ShadowServingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Records = 600;

    private readonly TestBroker _broker = new();
    private readonly string _scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mlwatch-shadow-tests", Guid.NewGuid().ToString("N")[..8])).FullName;
    private SiloUnderTest _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers, new Dictionary<string, string?>
        {
            ["Inference:ModelsRoot"] = ModelVersions.CopyVersion1Root(_scratch),
            ["Api:AdminKey"] = ModelVersions.AdminKey,
        });

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _broker.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task A_candidate_shadowing_version_1_is_compared_exactly_and_promote_makes_it_active()
    {
        var version1 = ModelRepository.LoadVersion(FashionMnistImages.ModelDirectory, "1");
        var version2 = ModelRepository.LoadVersion(FashionMnistImages.ModelDirectory, "2");
        var set = FashionMnistImages.TestSet;
        var offline1 = DirectOnnxReference.Predict(version1, set, Records);
        var offline2 = DirectOnnxReference.Predict(version2, set, Records);
        var labelCount = version1.Labels.Count;
        var expectedConfusion = new long[labelCount, labelCount];
        for (var i = 0; i < Records; i++)
        {
            expectedConfusion[offline1[i].Label, offline2[i].Label]++;
        }

        var expectedAgreed = Enumerable.Range(0, Records).Count(i => offline1[i].Label == offline2[i].Label);
        Assert.True(expectedAgreed < Records, "versions 1 and 2 disagree on some of the images, or the test shows nothing");

        var published = await ModelVersions.PublishAsync(_silo.Api, "2", File.ReadAllBytes(Path.Combine(ModelVersions.Version2Directory, "model.onnx")), ModelVersions.Version2Directory, activate: false);
        Assert.True(published.StatusCode == HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        var candidates = _silo.Services.GetRequiredService<ShadowCandidates>();
        await Eventually.ReachAsync(() => Task.FromResult(candidates.For(ModelVersions.Model)?.Version), v => v == "2", "the silo shadowing candidate 2");

        await _broker.ProduceFashionMnistAsync(0, Records);
        var report = await Eventually.ReachAsync(() => GetShadowAsync(), r => Compared(r) >= Records, $"{Records} records compared");
        await Eventually.ReachAsync(async () => await ModelVersions.TryGetTotalAsync(_silo.Api, "1") ?? 0, t => t >= Records, $"version 1 counting {Records} records");
        // Replays (checkpoints, rebalances) must not count anything twice: read again after a few checkpoint intervals.
        await Task.Delay(TimeSpan.FromSeconds(3));
        report = await GetShadowAsync();

        Assert.Equal("1", report.GetProperty("active").GetString());
        Assert.Equal("2", report.GetProperty("candidate").GetString());
        Assert.True(report.GetProperty("shadowing").GetBoolean());
        var comparison = report.GetProperty("comparisons").EnumerateArray().First();
        Assert.Equal(("1", "2", true), (comparison.GetProperty("active").GetString(), comparison.GetProperty("candidate").GetString(), comparison.GetProperty("current").GetBoolean()));
        var total = comparison.GetProperty("total");
        Assert.Equal(Records, total.GetProperty("compared").GetInt64());
        Assert.Equal(expectedAgreed, total.GetProperty("agreed").GetInt64());
        var confusion = total.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
        for (var a = 0; a < labelCount; a++)
        {
            for (var c = 0; c < labelCount; c++)
            {
                var cell = a < confusion.Length && c < confusion[a].Length ? confusion[a][c] : 0;
                Assert.True(expectedConfusion[a, c] == cell, $"confusion v1 {version1.Labels[a]} × v2 {version1.Labels[c]}: offline {expectedConfusion[a, c]}, reported {cell}");
            }
        }

        Assert.Equal(Records, total.GetProperty("labeled").GetInt64());
        Assert.Equal(Enumerable.Range(0, Records).Count(i => offline1[i].Label == set.GetLabel(i)), total.GetProperty("activeCorrect").GetInt64());
        Assert.Equal(Enumerable.Range(0, Records).Count(i => offline2[i].Label == set.GetLabel(i)), total.GetProperty("candidateCorrect").GetInt64());
        var expectedDifference = Enumerable.Range(0, Records).Average(i => offline2[i].Confidence - offline1[i].Confidence);
        Assert.Equal(expectedDifference, total.GetProperty("meanConfidenceDifference").GetDouble(), 4);
        Assert.Equal(Records, comparison.GetProperty("windows").EnumerateArray().Sum(w => w.GetProperty("compared").GetInt64()));

        // The candidate's answers are not live predictions: version 1 counted every record, version 2 none.
        Assert.Equal(Records, await ModelVersions.TryGetTotalAsync(_silo.Api, "1"));
        Assert.Equal(0, await ModelVersions.TryGetTotalAsync(_silo.Api, "2") ?? 0);
        output.WriteLine(
            $"Shadow of v2 beside v1 over {Records} records: {expectedAgreed} agreed ({total.GetProperty("agreementRate").GetDouble():P2}), " +
            $"accuracy v1 {total.GetProperty("activeAccuracy").GetDouble():P2}, v2 {total.GetProperty("candidateAccuracy").GetDouble():P2}, mean confidence difference {expectedDifference:+0.0000;-0.0000}.");
        output.WriteLine(await MeasureShadowCostAsync(version1, version2));

        using var promote = new HttpRequestMessage(HttpMethod.Post, $"api/models/{ModelVersions.Model}/promote") { Content = JsonContent.Create(new { by = "tester" }) };
        promote.Headers.Add("X-Api-Key", ModelVersions.AdminKey);
        var promoted = await _silo.Api.SendAsync(promote);
        var registry = JsonDocument.Parse(await promoted.Content.ReadAsStringAsync()).RootElement;
        Assert.True(promoted.StatusCode == HttpStatusCode.OK, registry.ToString());
        Assert.Equal(("2", "2"), (registry.GetProperty("active").GetString(), registry.GetProperty("servedHere").GetString()));
        await _broker.ProduceFashionMnistAsync(Records, Records + 100);
        await Eventually.ReachAsync(async () => await ModelVersions.TryGetTotalAsync(_silo.Api, "2") ?? 0, t => t >= 100, "version 2 counting 100 records");
        var after = await GetShadowAsync();
        Assert.True(after.GetProperty("candidate").ValueKind == JsonValueKind.Null, after.ToString());
        Assert.False(after.GetProperty("shadowing").GetBoolean());
        Assert.Equal(Records, after.GetProperty("comparisons").EnumerateArray().Single(c => c.GetProperty("active").GetString() == "1").GetProperty("total").GetProperty("compared").GetInt64());

        var cli = await MlwatchProcess.RunAsync(["models", "shadow", "--model", ModelVersions.Model, "--api", _silo.Api.BaseAddress!.ToString()]);
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Contains("v1 (active) vs v2 (candidate)", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains(expectedAgreed.ToString(System.Globalization.CultureInfo.InvariantCulture), cli.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// The cost of a shadow on the executor: the same images classified by version 1 alone, then by version 1 and
    /// version 2 at once (what a delivery with a candidate asks for). Printed, not asserted: a loaded machine varies.
    /// </summary>
    private async Task<string> MeasureShadowCostAsync(ModelDescriptor version1, ModelDescriptor version2)
    {
        var executor = _silo.Services.GetRequiredService<InferenceExecutor>();
        const int images = 2000;
        ReadOnlyMemory<byte>[] encoded = [.. Enumerable.Range(0, images).Select(i => (ReadOnlyMemory<byte>)FashionMnistImages.TestSet.EncodePng(i))];
        await Task.WhenAll(executor.ClassifyAsync(version1, encoded[..100]), executor.ClassifyAsync(version2, encoded[..100]));
        var alone = Stopwatch.StartNew();
        await Task.WhenAll(encoded.Chunk(100).Select(c => executor.ClassifyAsync(version1, c)));
        alone.Stop();
        var shadowed = Stopwatch.StartNew();
        await Task.WhenAll(encoded.Chunk(100).SelectMany(c => new[] { executor.ClassifyAsync(version1, c), executor.ClassifyAsync(version2, c) }));
        shadowed.Stop();
        return $"Cost of shadowing on the executor ({Environment.ProcessorCount} cores): {images / alone.Elapsed.TotalSeconds:F0} records/s with v1 alone, " +
            $"{images / shadowed.Elapsed.TotalSeconds:F0} records/s with v2 shadowing it ({shadowed.Elapsed.TotalMilliseconds / alone.Elapsed.TotalMilliseconds:F2}× the time).";
    }

    private async Task<JsonElement> GetShadowAsync() => await _silo.GetJsonAsync($"api/models/{ModelVersions.Model}/shadow");

    private static long Compared(JsonElement report) =>
        report.GetProperty("comparisons").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } first ? first.GetProperty("total").GetProperty("compared").GetInt64() : 0;
}
