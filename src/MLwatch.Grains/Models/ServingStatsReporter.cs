using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Models;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Inference.Execution;

namespace MLwatch.Grains.Models;

/// <summary>
/// Sends this silo's cumulative <see cref="ModelServingStatistics"/> of every model version to its
/// <see cref="IModelServingStatsGrain"/> every Models:ServingStatsInterval while the silo is active, and once more when
/// it stops, so a clean shutdown loses nothing. A report that fails is simply superseded by the next one.
/// </summary>
public sealed partial class ServingStatsReporter(
    ModelServingStatistics statistics,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<ModelsOptions> options,
    TimeProvider clock,
    ILogger<ServingStatsReporter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _reporting;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ServingStatsReporter), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>Reports every version's snapshot now.</summary>
    public async Task ReportAsync()
    {
        var address = silo.SiloAddress.ToString();
        var now = clock.GetUtcNow();
        await Task.WhenAll(statistics.Snapshots().Select(s =>
            grains.GetGrain<IModelServingStatsGrain>(new ModelKey(s.Model, s.Version).ToString()).ReportAsync(address, ServingStatsMerge.ToSnapshot(s, now))));
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _reporting = ReportPeriodicallyAsync(_stop.Token);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_reporting is not null)
        {
            await _reporting;
        }

        await TryReportAsync();
    }

    private async Task ReportPeriodicallyAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.ServingStatsInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await TryReportAsync();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task TryReportAsync()
    {
        try
        {
            await ReportAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReportFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting the serving statistics failed; the next report (they are cumulative) carries them")]
    private partial void LogReportFailed(Exception exception);
}
