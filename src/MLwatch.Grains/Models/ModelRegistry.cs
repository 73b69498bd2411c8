using MLwatch.Abstractions.Models;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Models;

/// <summary>
/// The state machine of one model's registry, without Orleans (the grain persists what it changes). A version is
/// <c>loading</c> until the first silo reports on it: validated makes it a <c>candidate</c> (and <c>active</c> at once
/// when its publisher asked), rejected makes it <c>rejected</c> for good under that content (publishing it again with
/// other bytes starts over). Only a validated version can be activated; the version it replaces is <c>retired</c>, and a
/// rollback returns to the version active before. Versions are immutable: a version published again with other bytes
/// than a served one is refused. Every change and every refusal is an event with its reason.
/// </summary>
public sealed class ModelRegistry(ModelRegistryState state, TimeProvider clock)
{
    /// <summary>The <see cref="ModelVersionEntry.Source"/> of a version found in the models root at start.</summary>
    public const string RepositorySource = "repository";

    /// <summary>The state this registry changes.</summary>
    public ModelRegistryState State => state;

    /// <summary>Applies a control record once (replays, and records older than one applied, change nothing); true when something changed.</summary>
    public bool ApplyControl(ModelControlCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var partition = $"{command.Topic}/{command.Partition}";
        if (state.ControlApplied.TryGetValue(partition, out var applied) && command.Offset <= applied)
        {
            return false;
        }

        state.ControlApplied[partition] = command.Offset;
        switch (command.Kind)
        {
            case ModelControlKinds.Publish:
                Publish(command);
                break;
            case ModelControlKinds.Activate:
                ActivateByHand(command);
                break;
            case ModelControlKinds.Rollback:
                Rollback(command);
                break;
            default:
                Refuse(command, command.Error ?? $"Unknown control record type '{command.Kind}'; use publish, activate or rollback.");
                break;
        }

        // The applied mark moved, so the state is written even when the record was refused or repeated.
        return Touch();
    }

    /// <summary>Records what a silo found when it validated versions; true when something changed.</summary>
    public bool Report(string silo, IReadOnlyList<ModelVersionReport> reports, bool repository, string? preferredVersion)
    {
        var changed = false;
        foreach (var report in reports)
        {
            if (!state.Versions.TryGetValue(report.Version, out var entry))
            {
                entry = new ModelVersionEntry
                {
                    Version = report.Version,
                    State = ModelVersionState.Loading,
                    CreatedAt = clock.GetUtcNow(),
                    Source = repository ? RepositorySource : "unknown",
                    Sha256 = report.Sha256,
                };
                state.Versions[report.Version] = entry;
                AddEvent(ModelRegistryEventKinds.Published, report.Version, silo, null, null, $"Version {report.Version} found in the models root of silo {silo}.");
                changed = true;
            }

            changed |= Record(entry, silo, report);
        }

        if (repository && state.Active is null && ChooseFromRepository(preferredVersion) is { } chosen)
        {
            Activate(chosen, by: null, reason: preferredVersion == chosen.Version
                ? $"No version was active; version {chosen.Version} is the one the model's config.json names."
                : $"No version was active; version {chosen.Version} is the highest validated one.");
            changed = true;
        }

        return changed && Touch();
    }

    /// <summary>Records which version a silo serves; true when that changed.</summary>
    public bool ReportServing(string silo, string version, string? note)
    {
        if (state.Silos.TryGetValue(silo, out var serving) && serving.Version == version && serving.Note == note)
        {
            return false;
        }

        state.Silos[silo] = new SiloServing { Version = version, Since = clock.GetUtcNow(), Note = note };
        AddEvent(ModelRegistryEventKinds.Serving, version, silo, null, null, note is null ? $"Silo {silo} serves version {version}." : $"Silo {silo} serves version {version}: {note}");
        return Touch();
    }

    private void Publish(ModelControlCommand command)
    {
        var version = command.Version;
        if (!ModelVersions.IsValidName(version))
        {
            Refuse(command, $"'{version}' is not a version name ({ModelVersions.NameRule}).");
            return;
        }

        if (state.Versions.TryGetValue(version!, out var known))
        {
            var sameBytes = known.Sha256 is null || command.Sha256 is null || string.Equals(known.Sha256, command.Sha256, StringComparison.OrdinalIgnoreCase);
            if (sameBytes)
            {
                // The same version again (a replayed or repeated publish): nothing to do, except that a version found in
                // the models root becomes a published one (which makes it a candidate that is shadowed).
                known.Sha256 ??= command.Sha256;
                if (known.Source == RepositorySource)
                {
                    known.Source = command.Source ?? "control-topic";
                    known.PublishedBy ??= command.By;
                }

                return;
            }

            if (known.State != ModelVersionState.Rejected)
            {
                Refuse(command, $"Version {version} exists with other bytes (SHA-256 {known.Sha256}, {known.State}); a version never changes: publish the new bytes as a new version.");
                return;
            }
        }

        state.Versions[version!] = new ModelVersionEntry
        {
            Version = version!,
            State = ModelVersionState.Loading,
            CreatedAt = clock.GetUtcNow(),
            Source = command.Source ?? "control-topic",
            PublishedBy = command.By,
            Sha256 = command.Sha256,
            ActivateWhenValidated = command.Activate,
        };
        AddEvent(ModelRegistryEventKinds.Published, version, null, command.By, null,
            (known is null ? $"Version {version} published" : $"Version {version} published again with new bytes (the rejected ones are replaced)") +
            $" from {command.Source ?? "the control topic"}{(command.Activate ? "; it becomes active once a silo has validated it" : "; it stays a candidate until activated")}.",
            command.Position);
    }

    private void ActivateByHand(ModelControlCommand command)
    {
        if (command.Version is not { } version || !state.Versions.TryGetValue(version, out var entry))
        {
            Refuse(command, $"Cannot activate version '{command.Version}': the registry has no such version; known: {Known()}.");
            return;
        }

        switch (entry.State)
        {
            case ModelVersionState.Active:
                return;
            case ModelVersionState.Loading:
                Refuse(command, $"Cannot activate version {version}: no silo has validated it yet; wait until GET /api/models/{state.Model}/versions shows it as candidate.");
                return;
            case ModelVersionState.Rejected:
                Refuse(command, $"Cannot activate version {version}: it was rejected ({entry.StateReason}); publish a fixed version.");
                return;
            default:
                Activate(entry, command.By, $"Activated by {command.By ?? "an operator"}.", command.Position);
                return;
        }
    }

    private void Rollback(ModelControlCommand command)
    {
        if (command.Version is { } from && from != state.Active)
        {
            // A rollback of a version that is no longer active: supervision's repeat (a replayed window, or a second
            // window closed before the first rollback was applied) changes nothing and is not news; a person's is refused.
            if (!(command.Automatic && state.Versions.TryGetValue(from, out var rolledBack) && rolledBack.RolledBackAutomatically))
            {
                Refuse(command, $"Cannot roll back version {from}: version {state.Active ?? "none"} is active now.");
            }

            return;
        }

        if (state.Previous is not { } previous)
        {
            Refuse(command, state.Active is null
                ? "Cannot roll back: no version is active."
                : $"Cannot roll back: version {state.Active} is the first version made active; activate another version instead.");
            return;
        }

        var current = state.Versions[state.Active!];
        state.Activations.RemoveAt(state.Activations.Count - 1);
        current.State = ModelVersionState.Retired;
        current.RetiredAt = clock.GetUtcNow();
        current.StateReason = command.Reason ?? $"Rolled back by {command.By ?? "an operator"} to version {previous}.";
        current.RolledBackAutomatically |= command.Automatic;
        var target = state.Versions[previous];
        target.State = ModelVersionState.Active;
        target.StateReason = null;
        target.ActivatedAt = clock.GetUtcNow();
        AddEvent(ModelRegistryEventKinds.RolledBack, previous, null, command.By, command.Automatic ? "automatic" : null,
            $"Rolled back from version {current.Version} to version {previous}{(command.Reason is null ? "" : ": " + command.Reason)}.", command.Position);
    }

    private bool Record(ModelVersionEntry entry, string silo, ModelVersionReport report)
    {
        if (report.Sha256 is not null && entry.Sha256 is not null && !string.Equals(report.Sha256, entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            // A report about other bytes than the registered ones (a stale folder): it says nothing about this version.
            report = report with { Passed = false, Reason = "checksum-mismatch", Message = $"Silo {silo} holds other bytes for version {entry.Version} (SHA-256 {report.Sha256}, registered {entry.Sha256}); it will not serve them." };
        }

        if (entry.Silos.TryGetValue(silo, out var previous) && previous.Passed == report.Passed && previous.Reason == report.Reason)
        {
            return false;
        }

        entry.Silos[silo] = new SiloVersionReport { At = clock.GetUtcNow(), Passed = report.Passed, Reason = report.Reason, Message = report.Message };
        entry.Sha256 ??= report.Sha256;
        if (report.Passed)
        {
            entry.InputName = report.InputName;
            entry.InputShape = report.InputShape;
            entry.OutputName = report.OutputName;
            entry.OutputShape = report.OutputShape;
            entry.LabelCount = report.LabelCount;
            entry.QualityMetric = report.QualityMetric;
            entry.QualityValue = report.QualityValue;
            AddEvent(ModelRegistryEventKinds.Validated, entry.Version, silo, null, null, $"Version {entry.Version} validated on silo {silo} (input {report.InputName} {report.InputShape}, output {report.OutputName} {report.OutputShape}).");
            if (entry.State == ModelVersionState.Loading)
            {
                entry.State = ModelVersionState.Candidate;
                if (entry.ActivateWhenValidated)
                {
                    Activate(entry, entry.PublishedBy, $"Validated on silo {silo}; activated as its publisher asked.");
                }
            }
        }
        else
        {
            AddEvent(ModelRegistryEventKinds.Rejected, entry.Version, silo, null, report.Reason, $"Version {entry.Version} rejected on silo {silo}: {report.Message}");
            if (entry.State == ModelVersionState.Loading)
            {
                entry.State = ModelVersionState.Rejected;
                entry.StateReason = $"{report.Reason}: {report.Message}";
            }
        }

        return true;
    }

    private ModelVersionEntry? ChooseFromRepository(string? preferredVersion)
    {
        // A version supervision rolled back is made active again only by hand.
        var validated = state.Versions.Values.Where(v => v.State is ModelVersionState.Candidate or ModelVersionState.Retired && !v.RolledBackAutomatically).ToList();
        return validated.FirstOrDefault(v => v.Version == preferredVersion)
            ?? validated.OrderBy(v => v.Version, ModelVersions.Order).LastOrDefault();
    }

    private void Activate(ModelVersionEntry entry, string? by, string reason, string? control = null)
    {
        if (state.Active is { } active && state.Versions.TryGetValue(active, out var replaced))
        {
            replaced.State = ModelVersionState.Retired;
            replaced.RetiredAt = clock.GetUtcNow();
            replaced.StateReason = $"Replaced by version {entry.Version}.";
        }

        state.Activations.Add(entry.Version);
        entry.State = ModelVersionState.Active;
        entry.StateReason = null;
        entry.ActivatedAt = clock.GetUtcNow();
        AddEvent(ModelRegistryEventKinds.Activated, entry.Version, null, by, null, reason, control);
    }

    private void Refuse(ModelControlCommand command, string message) =>
        AddEvent(ModelRegistryEventKinds.Refused, command.Version, null, command.By, command.Kind, message, command.Position);

    private string Known() => state.Versions.Count == 0 ? "none" : string.Join(", ", state.Versions.Keys.Order(ModelVersions.Order));

    private void AddEvent(string kind, string? version, string? silo, string? by, string? reason, string message, string? control = null)
    {
        state.Events.Add(new ModelRegistryEvent { At = clock.GetUtcNow(), Kind = kind, Version = version, Silo = silo, By = by, Reason = reason, Message = message, Control = control });
        if (state.Events.Count > ModelRegistryState.EventsKept)
        {
            state.Events.RemoveRange(0, state.Events.Count - ModelRegistryState.EventsKept);
        }
    }

    private bool Touch()
    {
        state.Revision++;
        return true;
    }
}
