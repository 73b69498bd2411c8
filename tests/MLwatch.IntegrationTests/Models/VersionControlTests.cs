using System.Net;
using System.Text.Json;
using MLwatch.Inference.Tests.Support;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.Models;

/// <summary>
/// One silo on a test broker, with a models root of its own holding fashion-mnist version 1: broken versions are each
/// rejected with their reason while version 1 keeps serving, and versions are activated and rolled back by hand through
/// the `mlwatch models` CLI, every record counted under the version that classified it.
/// </summary>
public sealed class VersionControlTests : IAsyncLifetime
{
    private readonly TestBroker _broker = new();
    private readonly string _scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mlwatch-model-tests", Guid.NewGuid().ToString("N")[..8])).FullName;
    private string _modelsRoot = "";
    private SiloUnderTest _silo = null!;

    public async Task InitializeAsync()
    {
        _modelsRoot = ModelVersions.CopyVersion1Root(_scratch);
        _silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers, new Dictionary<string, string?>
        {
            ["Inference:ModelsRoot"] = _modelsRoot,
            ["Api:AdminKey"] = ModelVersions.AdminKey,
        });
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _broker.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Each_broken_version_is_rejected_with_its_reason_while_version_1_keeps_serving()
    {
        await _broker.ProduceFashionMnistAsync(0, 100);
        await WaitForTotalAsync("1", 100);
        var committed = Path.Combine(FashionMnistImages.ModelDirectory, "1", "model.onnx");
        var version = 10;
        foreach (var (kind, reason) in BrokenModels.Kinds)
        {
            var name = (version++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var response = await ModelVersions.PublishAsync(_silo.Api, name, BrokenModels.Build(kind, committed));

            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{kind}: {response.StatusCode} {problem}");
            Assert.Equal(reason, problem.GetProperty("reason").GetString());
            Assert.Contains($"Version {name} of fashion-mnist was rejected: {reason}: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(_modelsRoot, "fashion-mnist", name)), $"{kind}: the rejected version's folder is removed");

            await _broker.ProduceFashionMnistAsync(100 * (version - 10), 100 * (version - 9));
        }

        await WaitForTotalAsync("1", 500);
        var registry = (await ModelVersions.TryGetRegistryAsync(_silo.Api))!.Value;
        Assert.Equal("1", registry.GetProperty("active").GetString());
        Assert.Equal("1", registry.GetProperty("servedHere").GetString());
        var rejected = registry.GetProperty("versions").EnumerateArray().Where(v => v.GetProperty("state").GetString() == "rejected").ToList();
        Assert.Equal(["10", "11", "12", "13"], rejected.Select(v => v.GetProperty("version").GetString()));
        Assert.Equal(BrokenModels.Kinds.Select(k => k.Reason), rejected.Select(v => v.GetProperty("stateReason").GetString()!.Split(':')[0]));
        Assert.Equal(4, registry.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "rejected"));
        Assert.Equal(0, await _silo.GetDeadLetteredAsync());
        Assert.Equal(500, await ModelVersions.TryGetTotalAsync(_silo.Api, "1"));
    }

    [Fact]
    public async Task Versions_are_activated_and_rolled_back_by_hand_and_each_keeps_its_own_counts()
    {
        await _broker.ProduceFashionMnistAsync(0, 100);
        await WaitForTotalAsync("1", 100);

        var published = await ModelVersions.PublishAsync(_silo.Api, "2", File.ReadAllBytes(Path.Combine(ModelVersions.Version2Directory, "model.onnx")), ModelVersions.Version2Directory, activate: false);
        var registry = JsonDocument.Parse(await published.Content.ReadAsStringAsync()).RootElement;
        Assert.True(published.StatusCode == HttpStatusCode.Created, registry.ToString());
        Assert.Equal("1", registry.GetProperty("active").GetString());
        Assert.Equal("candidate", registry.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == "2").GetProperty("state").GetString());
        await _broker.ProduceFashionMnistAsync(100, 200);
        await WaitForTotalAsync("1", 200);

        var activated = await CliAsync("activate", "--version", "2");
        Assert.Equal("2", activated.GetProperty("active").GetString());
        Assert.Equal("2", activated.GetProperty("servedHere").GetString());
        await _broker.ProduceFashionMnistAsync(200, 350);
        await WaitForTotalAsync("2", 150);

        var rolledBack = await CliAsync("rollback");
        Assert.Equal(("1", "1"), (rolledBack.GetProperty("active").GetString(), rolledBack.GetProperty("servedHere").GetString()));
        await _broker.ProduceFashionMnistAsync(350, 400);
        await WaitForTotalAsync("1", 250);

        var listed = await CliAsync("list");
        Assert.Equal(250, await ModelVersions.TryGetTotalAsync(_silo.Api, "1"));
        Assert.Equal(150, await ModelVersions.TryGetTotalAsync(_silo.Api, "2"));
        Assert.Equal("250", (await _silo.GetLabelsAsync()).GetProperty("total").ToString());
        Assert.Equal(
            ["activated", "activated", "rolled-back"],
            listed.GetProperty("events").EnumerateArray().Reverse().Select(e => e.GetProperty("kind").GetString()).Where(k => k is "activated" or "rolled-back"));
        var refused = await MlwatchProcess.RunAsync(["models", "activate", "--version", "7", "--api", _silo.Api.BaseAddress!.ToString(), "--key", ModelVersions.AdminKey]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Cannot activate version '7': the registry has no such version; known: 1, 2.", refused.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Runs `mlwatch models &lt;arguments&gt; --json` against the silo and returns the registry it printed.</summary>
    private async Task<JsonElement> CliAsync(params string[] arguments)
    {
        string[] by = arguments[0] == "list" ? [] : ["--by", "tester"];
        var result = await MlwatchProcess.RunAsync(["models", .. arguments, .. by, "--json", "--api", _silo.Api.BaseAddress!.ToString(), "--key", ModelVersions.AdminKey]);
        Assert.True(result.ExitCode == 0, $"mlwatch models {string.Join(' ', arguments)}: exit {result.ExitCode}, {result.Stderr}");
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    private Task WaitForTotalAsync(string version, long expected) =>
        Eventually.ReachAsync(async () => await ModelVersions.TryGetTotalAsync(_silo.Api, version) ?? 0, t => t >= expected, $"version {version} counting {expected} records");
}
