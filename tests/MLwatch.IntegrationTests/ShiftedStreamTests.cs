using System.Text;
using System.Text.Json;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Abstractions.Wire;
using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Shifts;
using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests;

/// <summary>
/// Each kind of shift, applied to the Fashion-MNIST test images from the first record on, raises its alert within
/// two windows (two is also the hysteresis minimum: RaiseAfterWindows = 2).
/// </summary>
public sealed class ShiftedStreamTests(ITestOutputHelper output) : SiloOnTestBroker
{
    private const int WindowSize = 1000;

    [Theory]
    [InlineData("prior:Trouser,Bag", "label-drift")]
    [InlineData("rotate:90", "label-drift")]
    [InlineData("noise:0.2", "estimated-accuracy-drop")]
    [InlineData("invert", "label-drift")]
    [InlineData("blur:2", "confidence-drift")]
    [InlineData("brightness:0.3", "estimated-accuracy-drop")]
    public async Task A_shifted_stream_raises_the_matching_alert_within_two_windows(string shift, string expectedKind)
    {
        await Broker.ProduceAsync(Shifted(shift), 2 * WindowSize);
        var drift = await Eventually.ReachAsync(() => Silo.GetDriftAsync(), d => d.Windows.Length == 2, "two windows closed");

        var raised = drift.ActiveAlerts.ToDictionary(a => a.Kind, a => a.Window);
        output.WriteLine(
            $"{shift}: raised {string.Join(", ", raised.Select(r => $"{r.Key} at window {r.Value}"))}; " +
            $"window 2: JS {drift.Windows[1].JensenShannon:F3}, PSI {drift.Windows[1].Psi:F3}, KS {drift.Windows[1].KolmogorovSmirnov:F3} (p {drift.Windows[1].KolmogorovSmirnovPValue:G3}), " +
            $"W {drift.Windows[1].Wasserstein:F4}, estimated accuracy {drift.Windows[1].EstimatedAccuracy:F3}, realized {drift.Windows[1].RealizedAccuracy:F3}");
        Assert.True(raised.TryGetValue(expectedKind, out var window), $"{shift} raised {string.Join(", ", raised.Keys)}, not {expectedKind}");
        Assert.True(window <= 2, $"{expectedKind} raised at window {window}");

        // Every raise was also published to the alerts topic, as JSON keyed by its id.
        var published = Broker.ReadAll(TopicNames.Alerts, drift.ActiveAlerts.Length)
            .Select(r => (Key: Encoding.UTF8.GetString(r.Message.Key!), Alert: JsonSerializer.Deserialize<AlertEvent>(r.Message.Value!, SiloUnderTest.ApiJson)!))
            .ToList();
        Assert.Equal(drift.ActiveAlerts.Select(a => a.Id).Order(), published.Select(p => p.Key).Order());
        Assert.All(published, p => Assert.Equal((p.Key, AlertState.Raised), (p.Alert.Id, p.Alert.State)));
        Assert.Contains(published, p => p.Alert.Kind == expectedKind && p.Alert.Window == window);
    }

    [Fact]
    public async Task Estimated_accuracy_stays_within_003_of_realized_on_a_noise_shifted_stream()
    {
        // σ = 0.05 costs about 3.5 points of accuracy; beyond σ ≈ 0.075 the model turns overconfident and no
        // confidence-based estimate can follow (see the model card).
        await Broker.ProduceAsync(Shifted("noise:0.05"), 3 * WindowSize);
        var drift = await Eventually.ReachAsync(() => Silo.GetDriftAsync(), d => d.Windows.Length == 3, "three windows closed");

        var estimated = drift.Windows.Average(w => w.EstimatedAccuracy);
        var realized = drift.RealizedAccuracy!.Value;
        output.WriteLine($"noise:0.05: estimated accuracy {estimated:F4}, realized {realized:F4}");
        Assert.True(realized < 0.92, $"the shift should cost accuracy; realized {realized:F4}");
        Assert.True(Math.Abs(estimated - realized) <= 0.03, $"estimated accuracy {estimated:F4}, realized {realized:F4}");
    }

    private static ShiftedImageSource Shifted(string shift) =>
        new(ImageSources.Open(ImageSources.FashionMnist), ImageShiftParser.Parse(shift), seed: 1);
}
