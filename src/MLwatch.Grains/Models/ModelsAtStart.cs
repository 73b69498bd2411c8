using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLwatch.Grains.Models;

/// <summary>
/// Brings the silo's models in line with the registries before it receives a record: at <see cref="StartStage"/> (the
/// silo is a member, grains can be called) it validates the models root, reports to the registries, reads the control
/// topic to its end (at most Models:StartTimeout, then on in the background) and serves what the registries serve. The
/// stream providers start one stage later (<see cref="StreamsStartStage"/>), so a silo that joins after a publish
/// classifies its first record with the published version. Then it follows the control topic and polls the registries.
/// </summary>
public sealed partial class ModelsAtStart(
    LocalModels models,
    ModelControlConsumer control,
    IOptions<ModelsOptions> options,
    ILogger<ModelsAtStart> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>When the models are brought in line: once the silo is active.</summary>
    public const int StartStage = ServiceLifecycleStage.Active;

    /// <summary>When the stream providers that deliver records start (their StreamLifecycleOptions.StartStage): right after.</summary>
    public const int StreamsStartStage = ServiceLifecycleStage.Active + 1;

    private readonly CancellationTokenSource _stop = new();
    private Task? _polling;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ModelsAtStart), StartStage, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await models.StartAsync(cancellationToken);
        control.Start();
        try
        {
            await control.CaughtUp.WaitAsync(options.Value.StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogNotCaughtUp(options.Value.ControlTopic, options.Value.StartTimeout);
        }

        await models.PollAsync(cancellationToken);

        _polling = PollAsync(_stop.Token);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        control.Stop();
        if (_polling is not null)
        {
            await _polling;
        }
    }

    private async Task PollAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.RegistryPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await models.PollAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The models control topic {Topic} was not read to its end within {Timeout} (Models:StartTimeout); the silo starts serving now and takes later versions as they are read")]
    private partial void LogNotCaughtUp(string topic, TimeSpan timeout);
}
