using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using MLwatch.Abstractions.Models;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Grains.Models;

namespace MLwatch.Grains.Monitoring;

/// <summary>
/// Acts on a window that passed a supervision bound: when the version is the active one and a version was active
/// before it, writes a rollback record to the models control topic (the path of a manual rollback, so every silo
/// switches and the registry records why) and returns the <c>model-rolled-back</c> alert. Idempotent per activation of
/// the version: the alert id names the activation, and the rollback record names the version it rolls back from, so
/// a replayed window or a second breaching window rolls back once and raises once.
/// </summary>
public sealed partial class ModelSupervisor(IGrainFactory grains, ModelControlPublisher control, ILogger<ModelSupervisor> logger)
{
    /// <summary>Who the registry records as asking for an automatic rollback.</summary>
    public const string Actor = "supervision";

    /// <summary>
    /// Rolls <paramref name="key"/> back for <paramref name="breach"/> if that is still to do. Settled: the breach is
    /// dealt with (false when the registry or the control topic could not be reached: try again later). Alert: the
    /// <c>model-rolled-back</c> event, null when there is nothing to roll back (the version is not active, or no
    /// version was active before it) or <paramref name="raised"/> says the alert is in the history already.
    /// </summary>
    public async Task<(bool Settled, AlertEvent? Alert)> SuperviseAsync(ModelKey key, SupervisionBreach breach, Func<string, bool> raised)
    {
        ArgumentNullException.ThrowIfNull(breach);
        ArgumentNullException.ThrowIfNull(raised);
        try
        {
            return (true, await RollBackAsync(key, breach, raised));
        }
        catch (Exception exception) when (exception is KafkaException or OrleansException or TimeoutException)
        {
            LogFailed(exception, key, breach.Message);
            return (false, null);
        }
    }

    private async Task<AlertEvent?> RollBackAsync(ModelKey key, SupervisionBreach breach, Func<string, bool> raised)
    {
        var registry = await grains.GetGrain<IModelRegistryGrain>(key.Model).GetAsync();
        if (!registry.Versions.TryGetValue(key.Version, out var entry) || entry.ActivatedAt is not { } activatedAt)
        {
            LogNotActive(key, breach.Message);
            return null;
        }

        // One alert per activation of the version, whichever window and silo decided it.
        var id = string.Create(CultureInfo.InvariantCulture, $"{key}/{AlertKinds.ModelRolledBack}/{activatedAt.ToUnixTimeMilliseconds()}/raised");
        if (raised(id))
        {
            return null;
        }

        string target;
        if (registry.Active == key.Version)
        {
            if (registry.Previous is not { } previous)
            {
                LogNothingToGoBackTo(key, breach.Message);
                return null;
            }

            target = previous;
            var position = await control.PublishAsync(new ModelControlRecord
            {
                Type = ModelControlKinds.Rollback,
                Model = key.Model,
                Version = key.Version,
                By = Actor,
                Automatic = true,
                Reason = $"Rolled back automatically to version {previous}: {breach.Message}.",
            });
            LogRolledBack(key, previous, breach.Message, position.ToString());
        }
        else if (entry.RolledBackAutomatically && registry.Active is { } active)
        {
            // Rolled back already (this window is replayed after a crash, or another breach got there first): only the alert may be missing.
            target = active;
        }
        else
        {
            LogNotActive(key, breach.Message);
            return null;
        }

        return new AlertEvent(id, key.Model, key.Version, AlertKinds.ModelRolledBack, AlertState.Raised, breach.Metric, breach.Value, breach.Bound, breach.Window, breach.ClosedAt,
            $"{key} was rolled back automatically to version {target}: {breach.Message}. It is not made active again automatically; fix it and publish a new version, or activate it by hand.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Supervision could not roll {Key} back now (the registry or the models control topic did not answer); it tries again with the next record: {Reason}")]
    private partial void LogFailed(Exception exception, ModelKey key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Supervision rolls {Key} back to version {Previous}: {Reason} (rollback record at {Position})")]
    private partial void LogRolledBack(ModelKey key, string previous, string reason, string position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key} passed a supervision bound but is the first version made active, so there is nothing to roll back to; activate another version by hand: {Reason}")]
    private partial void LogNothingToGoBackTo(ModelKey key, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key} passed a supervision bound while it is not the active version; nothing to roll back: {Reason}")]
    private partial void LogNotActive(ModelKey key, string reason);
}
