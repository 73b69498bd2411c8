using System.Net;
using System.Text;
using System.Text.Json;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Models;

/// <summary>
/// Supervision on the real pipeline (one silo, test broker, labelled Fashion-MNIST records): version 3, trained on
/// shuffled labels (models/fashion-mnist/3, test accuracy 0.10), is published and activated while version 1 serves; its
/// first window of 200 labelled predictions passes the bound (realized accuracy below 0.70), so it is rolled back to
/// version 1 through the control topic, the registry says why, the model-rolled-back alert is in the API and on the
/// alerts topic exactly once, records produced after the rollback are all classified by version 1, and every record is
/// counted once under the version that classified it.
/// </summary>
public sealed class AutomaticRollbackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int WindowSize = 200;

    private readonly TestBroker _broker = new();
    private readonly string _scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mlwatch-model-tests", Guid.NewGuid().ToString("N")[..8])).FullName;
    private SiloUnderTest _silo = null!;

    private static string Version3Directory => Path.Combine(FashionMnistImages.ModelDirectory, "3");

    public async Task InitializeAsync() =>
        _silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers, new Dictionary<string, string?>
        {
            ["Inference:ModelsRoot"] = ModelVersions.CopyVersion1Root(_scratch),
            ["Api:AdminKey"] = ModelVersions.AdminKey,
            ["Models:PublishPredictions"] = "true",
            ["Monitoring:WindowSize"] = WindowSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Monitoring:MinWindowCount"] = "100",
            ["Monitoring:Supervision:fashion-mnist:MinRealizedAccuracy"] = "0.7",
            ["Monitoring:Supervision:fashion-mnist:MinSamplesPerWindow"] = "150",
        });

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _broker.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task A_version_whose_realized_accuracy_collapses_is_rolled_back_to_the_previous_one_once_with_its_reason_and_alert()
    {
        await _broker.ProduceFashionMnistAsync(0, 400);
        await WaitForTotalAsync("1", 400);

        var published = await ModelVersions.PublishAsync(_silo.Api, "3", File.ReadAllBytes(Path.Combine(Version3Directory, "model.onnx")), Version3Directory);
        var body = await published.Content.ReadAsStringAsync();
        Assert.True(published.StatusCode == HttpStatusCode.Created, $"{published.StatusCode}: {body}");
        Assert.Equal("3", JsonDocument.Parse(body).RootElement.GetProperty("active").GetString());

        // Labelled records keep coming, 50 at a time, until the registry shows the rollback; at most 10 windows' worth.
        var produced = 400;
        while (await ActiveAsync() == "3")
        {
            Assert.True(produced < 400 + (10 * WindowSize), $"no rollback after {produced - 400} records served with version 3 (windows of {WindowSize})");
            await _broker.ProduceFashionMnistAsync(produced, produced + 50);
            produced += 50;
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        await Eventually.ReachAsync(async () => (await ModelVersions.TryGetRegistryAsync(_silo.Api))?.GetProperty("servedHere").GetString(), v => v == "1", "the silo serving version 1 again");
        var afterRollback = produced;
        await _broker.ProduceFashionMnistAsync(afterRollback, afterRollback + 300);
        produced += 300;
        var total = await Eventually.ReachAsync(
            async () => (await ModelVersions.TryGetTotalAsync(_silo.Api, "1") ?? 0) + (await ModelVersions.TryGetTotalAsync(_silo.Api, "3") ?? 0),
            t => t >= produced,
            $"v1 + v3 counts reaching {produced}");
        var v1 = (await ModelVersions.TryGetTotalAsync(_silo.Api, "1"))!.Value;
        var v3 = (await ModelVersions.TryGetTotalAsync(_silo.Api, "3"))!.Value;
        Assert.Equal(produced, v1 + v3);
        Assert.InRange(v3, WindowSize, produced - 700);

        // Every record classified by exactly one version; each version's counts are its predictions; after the rollback, version 1 only.
        var predictions = ModelVersions.ReadPredictions(_broker.BootstrapServers, produced);
        var byRequest = predictions.GroupBy(p => p.RequestId).ToDictionary(g => g.Key, g => g.Select(p => p.Version).Distinct().Single());
        Assert.Equal(produced, byRequest.Count);
        Assert.Equal(v3, byRequest.Values.Count(v => v == "3"));
        Assert.All(Enumerable.Range(afterRollback, 300), i => Assert.Equal("1", byRequest[$"test-{i}"]));

        // The registry says why, once.
        var registry = (await ModelVersions.TryGetRegistryAsync(_silo.Api))!.Value;
        var version3 = registry.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == "3");
        var reason = version3.GetProperty("stateReason").GetString()!;
        Assert.Equal("retired", version3.GetProperty("state").GetString(), ignoreCase: true);
        Assert.StartsWith("Rolled back automatically to version 1: realized accuracy 0.", reason, StringComparison.Ordinal);
        Assert.Contains($" < 0.70 over window 1 of fashion-mnist@3 (", reason, StringComparison.Ordinal);
        var rollbacks = registry.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "rolled-back").ToList();
        Assert.Single(rollbacks);
        Assert.Equal("supervision", rollbacks[0].GetProperty("by").GetString());

        // The alert, once in the API's history and once on the alerts topic.
        var history = await _silo.GetAlertsAsync();
        var alert = Assert.Single(history, a => a.Kind == "model-rolled-back");
        Assert.Equal(("3", AlertState.Raised, "realizedAccuracy", 1L, 0.7), (alert.Version, alert.State, alert.Metric, alert.Window, alert.Threshold));
        Assert.True(alert.Value < 0.3, $"realized accuracy of v3's first window: {alert.Value}");
        var onTopic = _broker.ReadAll(TopicNames.Alerts, history.Length)
            .Select(r => JsonSerializer.Deserialize<AlertEvent>(Encoding.UTF8.GetString(r.Message.Value!), SiloUnderTest.ApiJson)!)
            .Where(a => a.Kind == "model-rolled-back")
            .ToList();
        Assert.Equal(alert.Id, Assert.Single(onTopic).Id);
        output.WriteLine($"{produced} labelled records: {v1} counted by v1, {v3} by v3 (total {total}); v3 rolled back after window {alert.Window} ({alert.Value:0.000} < {alert.Threshold}); {history.Length} alert events. Reason: {reason}");
    }

    private async Task<string?> ActiveAsync() => (await ModelVersions.TryGetRegistryAsync(_silo.Api))?.GetProperty("active").GetString();

    private Task WaitForTotalAsync(string version, long expected) =>
        Eventually.ReachAsync(async () => await ModelVersions.TryGetTotalAsync(_silo.Api, version) ?? 0, t => t >= expected, $"version {version} counting {expected} records");
}
