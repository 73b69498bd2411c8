using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests;

/// <summary>False alarms: the Fashion-MNIST test set replayed five times is what the model was built for.</summary>
public sealed class UnshiftedStreamTests(ITestOutputHelper output) : SiloOnTestBroker
{
    [Fact]
    public async Task Fifty_thousand_unshifted_predictions_raise_no_alert_and_estimated_accuracy_tracks_realized()
    {
        const int count = 50_000;
        await Broker.ProduceFashionMnistAsync(0, count);
        var drift = await Eventually.ReachAsync(() => Silo.GetDriftAsync(), d => d.Predictions == count, "50,000 predictions monitored");

        Assert.Equal(50, drift.Windows.Length);
        var alerts = await Silo.GetAlertsAsync();
        Assert.True(alerts.Length == 0, "false alarms: " + string.Join("; ", alerts.Select(a => a.Message)));
        Assert.Empty(drift.ActiveAlerts);

        var estimated = drift.Windows.Average(w => w.EstimatedAccuracy);
        var realized = drift.RealizedAccuracy!.Value;
        var worstWindow = drift.Windows.Max(w => Math.Abs(w.EstimatedAccuracy - w.RealizedAccuracy!.Value));
        output.WriteLine(
            $"windows breaching a threshold (before hysteresis): {drift.Windows.Count(w => w.Breaches.Length > 0)}; " +
            $"estimated accuracy {estimated:F4}, realized {realized:F4}, worst window |estimated − realized| {worstWindow:F4}; " +
            $"max JS {drift.Windows.Max(w => w.JensenShannon):F3}, max PSI {drift.Windows.Max(w => w.Psi):F3}, " +
            $"min χ² p {drift.Windows.Min(w => w.ChiSquarePValue):G3}, min KS p {drift.Windows.Min(w => w.KolmogorovSmirnovPValue):G3}");
        Assert.True(Math.Abs(estimated - realized) <= 0.03, $"estimated accuracy {estimated:F4}, realized {realized:F4}");
    }
}
