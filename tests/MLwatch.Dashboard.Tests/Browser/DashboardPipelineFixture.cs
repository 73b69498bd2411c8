using System.Text.Json;
using MLwatch.Inference.Models;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.Dashboard.Tests.Browser;

/// <summary>
/// The real pipeline in this process (a broker the test owns, one silo with API and dashboard on free ports) and a
/// browser, shared by the browser tests of one class.
/// </summary>
public sealed class DashboardPipelineFixture : IAsyncLifetime
{
    public const int Images = 1_000;

    private readonly SemaphoreSlim _producing = new(1, 1);
    private TestBroker? _broker;
    private int _produced;

    internal SiloUnderTest Silo { get; private set; } = default!;

    internal Chromium Chromium { get; private set; } = default!;

    public Uri BaseAddress => Silo.Api.BaseAddress!;

    /// <summary>Where the README's screenshots are written (docs/screenshots under the repository root).</summary>
    public static string ScreenshotDirectory =>
        Path.Combine(Path.GetDirectoryName(ModelCatalog.LocateModelsRoot() ?? throw new DirectoryNotFoundException("models/ not found"))!, "docs", "screenshots");

    public async Task InitializeAsync()
    {
        _broker = new TestBroker();
        Silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers);
        Chromium = await Chromium.LaunchAsync();
    }

    /// <summary>Produces the next <paramref name="count"/> Fashion-MNIST images at a pace a person can watch; returns when all are acknowledged.</summary>
    public async Task ProduceAsync(int count = Images)
    {
        await _producing.WaitAsync();
        try
        {
            await _broker!.ProduceFashionMnistAsync(_produced, _produced + count, pause: TimeSpan.FromMilliseconds(100));
            _produced += count;
        }
        finally
        {
            _producing.Release();
        }
    }

    /// <summary>Produces <see cref="Images"/> images unless some were already, then waits until the API counts every one.</summary>
    public async Task<JsonElement> StreamEndedAsync()
    {
        if (_produced == 0)
        {
            await ProduceAsync();
        }

        await Eventually.ReachAsync(
            async () => await Silo.GetTotalAsync() + await Silo.GetDeadLetteredAsync(),
            counted => counted >= _produced,
            "records predicted or dead-lettered");
        return await Silo.GetLabelsAsync();
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Silo.DisposeAsync();
        _broker?.Dispose();
    }
}
