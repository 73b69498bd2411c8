using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Models;

/// <summary>
/// Serving statistics per model version on a cluster of real processes (`mlwatch silo` ×2 sharing the partitions, each
/// reporting its snapshot every 500 ms): the merged count of a version equals the records it classified, the silos'
/// counts add up to it, the undecodable records are its errors, the percentiles are ordered; a version published later
/// starts at zero and grows while the earlier one's stay as they were. Records are produced only while the partitions
/// stay put, so none is delivered twice (the statistics count work done, not the exactly-once totals).
/// </summary>
public sealed class ServingStatsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Each_version_counts_what_it_classified_on_every_silo_and_version_2_starts_at_zero()
    {
        await using var cluster = await ClusterUnderTest.StartAsync("serving-stats", silos: 0);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await cluster.AddSiloAsync(new Dictionary<string, string>
            {
                ["MLWATCH__Inference__ModelsRoot"] = ModelVersions.CopyVersion1Root(cluster.LogDirectory),
                ["MLWATCH__Api__AdminKey"] = ModelVersions.AdminKey,
                ["MLWATCH__Models__ServingStatsInterval"] = "00:00:00.500",
            });
        }

        await cluster.WaitSettledAsync("two silos sharing the partitions");
        var api = cluster.Silos[0].Api;
        // The queue balancer (a consistent ring) may leave a silo without a partition: only owners classify records.
        var owners = (await cluster.TryGetClusterAsync())!.Where(s => s.Partitions.Count > 0).Select(s => s.Address).Order().ToList();

        var v1 = await ProduceAndCountAsync(cluster, "1", 300);
        var invalid = cluster.InvalidProduced;
        var stats1 = await WaitForCountAsync(cluster, "1", v1);
        output.WriteLine($"v1: {Describe(stats1)}");
        Assert.Equal(invalid, stats1.GetProperty("errors").GetInt64());
        var perSilo = stats1.GetProperty("perSilo").EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetProperty("count").GetInt64());
        Assert.Equal(v1, perSilo.Values.Sum());
        Assert.Equal(owners, perSilo.Keys.Order());
        Assert.All(perSilo.Values, count => Assert.True(count > 0, $"each silo owning partitions classified records: {string.Join(", ", perSilo)}"));
        AssertOrdered(stats1);

        var published = await ModelVersions.PublishAsync(api, "2", File.ReadAllBytes(Path.Combine(ModelVersions.Version2Directory, "model.onnx")), ModelVersions.Version2Directory);
        Assert.True(published.StatusCode == HttpStatusCode.Created, $"{published.StatusCode}: {await published.Content.ReadAsStringAsync()}");
        var fresh = await StatsAsync(api, "2");
        Assert.Equal((0L, 0L), (fresh.GetProperty("count").GetInt64(), fresh.GetProperty("errors").GetInt64()));
        await ClusterUnderTest.WithinAsync(TimeSpan.FromSeconds(120), $"both silos serving version 2 (logs in {cluster.LogDirectory})", async () =>
            ModelVersions.Serving((await ModelVersions.TryGetRegistryAsync(api))!.Value).Count(s => s.Value == "2") == 2);

        var v2 = await ProduceAndCountAsync(cluster, "2", 200);
        var stats2 = await WaitForCountAsync(cluster, "2", v2);
        output.WriteLine($"v2: {Describe(stats2)}");
        Assert.Equal(v2, stats2.GetProperty("perSilo").EnumerateObject().Sum(s => s.Value.GetProperty("count").GetInt64()));
        Assert.Equal(cluster.InvalidProduced - invalid, stats2.GetProperty("errors").GetInt64());
        AssertOrdered(stats2);
        var after = await StatsAsync(api, "1");
        Assert.Equal((v1, invalid), (after.GetProperty("count").GetInt64(), after.GetProperty("errors").GetInt64()));

        // The list carries each version's statistics too.
        var versions = (await ModelVersions.TryGetRegistryAsync(api))!.Value.GetProperty("versions").EnumerateArray()
            .ToDictionary(v => v.GetProperty("version").GetString()!, v => v.GetProperty("serving").GetProperty("count").GetInt64());
        Assert.Equal(v1, versions["1"]);
        Assert.Equal(v2, versions["2"]);

        // And the CLI prints them: the full statistics of one version, and of every version.
        var one = await MlwatchProcess.RunAsync(["models", "stats", ModelVersions.Model, "2", "--json", "--api", api.BaseAddress!.ToString()]);
        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.Equal(v2, JsonDocument.Parse(one.Stdout).RootElement.GetProperty("count").GetInt64());
        var all = await MlwatchProcess.RunAsync(["models", "stats", ModelVersions.Model, "--api", api.BaseAddress!.ToString()]);
        Assert.True(all.ExitCode == 0, all.Stderr);
        Assert.Equal(2, all.Stdout.Split("Per silo").Length - 1);
        output.WriteLine(all.Stdout);
    }

    /// <summary>Produces until <paramref name="version"/> counted at least <paramref name="atLeast"/> more records, stops, and returns how many valid ones it got, once all are counted.</summary>
    private static async Task<long> ProduceAndCountAsync(ClusterUnderTest cluster, string version, long atLeast)
    {
        var api = cluster.Silos[0].Api;
        var before = cluster.ValidProduced;
        var counted = await ModelVersions.TryGetTotalAsync(api, version) ?? 0;
        cluster.StartProducing(perSecond: 100);
        await Eventually.ReachAsync(async () => await ModelVersions.TryGetTotalAsync(api, version) ?? 0, t => t >= counted + atLeast, $"version {version} counting {atLeast} records (logs in {cluster.LogDirectory})", TimeSpan.FromSeconds(90));
        var produced = await cluster.StopProducingAsync() - before;
        await Eventually.ReachAsync(async () => await ModelVersions.TryGetTotalAsync(api, version) ?? 0, t => t == counted + produced, $"version {version} counting all {produced} records (logs in {cluster.LogDirectory})", TimeSpan.FromSeconds(90));
        return produced;
    }

    private static async Task<JsonElement> WaitForCountAsync(ClusterUnderTest cluster, string version, long count)
    {
        // Read through the other silo: the statistics grain answers the same wherever it is asked.
        await Eventually.ReachAsync(
            () => StatsAsync(cluster.Silos[1].Api, version),
            s => s.GetProperty("count").GetInt64() >= count,
            $"version {version}'s serving statistics reaching {count} records (logs in {cluster.LogDirectory})",
            TimeSpan.FromSeconds(30));

        // Three more report rounds: the count must have stopped at exactly the records classified, none twice.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var settled = await StatsAsync(cluster.Silos[1].Api, version);
        Assert.Equal(count, settled.GetProperty("count").GetInt64());
        return settled;
    }

    private static async Task<JsonElement> StatsAsync(HttpClient api, string version) =>
        await api.GetFromJsonAsync<JsonElement>($"api/models/{ModelVersions.Model}/versions/{version}/stats", SiloUnderTest.ApiJson);

    private static void AssertOrdered(JsonElement stats)
    {
        var (min, p50, p95, p99, max) = (Ms(stats, "minMs"), Ms(stats, "p50Ms"), Ms(stats, "p95Ms"), Ms(stats, "p99Ms"), Ms(stats, "maxMs"));
        Assert.True(0 < min && min <= p50 && p50 <= p95 && p95 <= p99 && p99 <= max * 1.001, $"0 < min {min} <= p50 {p50} <= p95 {p95} <= p99 {p99} <= max {max} (+0.1 %)");
        Assert.True(stats.GetProperty("batchSizeMean").GetDouble() >= 1);
        Assert.True(Ms(stats.GetProperty("endToEnd"), "p50Ms") > 0);
    }

    private static double Ms(JsonElement stats, string name) => stats.GetProperty(name).GetDouble();

    private static string Describe(JsonElement s) => FormattableString.Invariant(
        $"{s.GetProperty("count")} records, {s.GetProperty("errors")} errors, executor p50/p95/p99/max {Ms(s, "p50Ms"):F2}/{Ms(s, "p95Ms"):F2}/{Ms(s, "p99Ms"):F2}/{Ms(s, "maxMs"):F2} ms, end-to-end p50/p99 {Ms(s.GetProperty("endToEnd"), "p50Ms"):F1}/{Ms(s.GetProperty("endToEnd"), "p99Ms"):F1} ms, mean batch {s.GetProperty("batchSizeMean").GetDouble():F2}, per silo {string.Join(", ", s.GetProperty("perSilo").EnumerateObject().Select(p => $"{p.Name}: {p.Value.GetProperty("count")}"))}");
}
