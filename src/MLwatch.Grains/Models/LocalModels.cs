using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using MLwatch.Abstractions.Models;
using MLwatch.Grains.Shadow;
using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;

namespace MLwatch.Grains.Models;

/// <summary>
/// This silo's side of the model registry. It validates every version before it may serve it (at start, the versions
/// of its models root; later, each version published on the control topic, written into its models root first), reports
/// what it found, and follows each registry: it serves the registry's active version once it has validated it, and
/// otherwise keeps what it serves and says why. Serving a version is one atomic switch of the
/// <see cref="ModelCatalog"/>: records read after it get the new version, records read before it finish on the old one.
/// All of it runs one step at a time (a gate), off Orleans' scheduler: on the control topic's thread, the start task
/// and the poll loop.
/// </summary>
public sealed partial class LocalModels(
    ModelCatalog catalog,
    ShadowCandidates shadowCandidates,
    ModelValidator validator,
    PublishedVersionReader reader,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    ILogger<LocalModels> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(string Model, string Version), ModelValidation> _results = [];
    private readonly Dictionary<string, long> _revisions = new(StringComparer.Ordinal);

    /// <summary>This silo, as the registries name it.</summary>
    public string Silo { get; } = silo.SiloAddress.ToString();

    /// <summary>
    /// Validates every version of the models root, reports them to their registries (which choose an active version when
    /// none is yet: the one the model's config.json names, else the highest) and serves what the registries serve.
    /// A registry that cannot be reached is logged and tried again by <see cref="PollAsync"/>.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var version in catalog.Names.SelectMany(catalog.Versions))
            {
                Validate(version);
            }

            foreach (var problem in catalog.Problems.Where(p => p.Version.Length > 0))
            {
                LogRejected(problem.Model, problem.Version, ModelRejectionReasons.InvalidFiles, problem.Reason);
            }

            // What it serves is reported once the control topic was read (PollAsync): a version published earlier may be on it.
            await ReportAllAsync(reportServing: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reports this silo's versions again and follows every registry, in case a change was missed or a registry lost its state.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await ReportAllAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Handles one record of the control topic; never throws for a problem of the record.</summary>
    public async Task HandleAsync(ConsumeResult<byte[]?, byte[]?> result, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (topic, partition, offset) = (result.Topic, result.Partition.Value, result.Offset.Value);
            var record = ModelControlRecord.TryRead(result.Message.Key, result.Message.Value, out var model, out var error);
            if (record is null)
            {
                LogInvalidRecord(topic, partition, offset, model ?? "(none)", error!);
                if (model is not null && ModelVersions.IsValidName(model))
                {
                    await Registry(model).ApplyControlAsync(new ModelControlCommand(ModelControlKinds.Invalid, null, null, topic, partition, offset) { Error = error });
                }

                return;
            }

            var command = new ModelControlCommand(record.Type, record.Version, record.By, topic, partition, offset)
            {
                Reason = record.Reason,
                Automatic = record.Automatic == true,
            };
            if (record.Type != ModelControlKinds.Publish)
            {
                await FollowAsync(await Registry(record.Model).ApplyControlAsync(command));
                return;
            }

            await PublishAsync(record, command);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task PublishAsync(ModelControlRecord record, ModelControlCommand command)
    {
        var (model, version) = (record.Model, record.Version!);
        PublishedVersion? files = null;
        ModelVersionReport? problem = null;
        try
        {
            files = reader.Read(record);
            if (record.Sha256 is { } declared && !string.Equals(declared, files.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                problem = Failed(version, files.Sha256, "checksum-mismatch", $"model.onnx has SHA-256 {files.Sha256}, but the record declares {declared}: the bytes were damaged or the record is wrong.");
            }
        }
        catch (PublishRefusedException exception)
        {
            problem = Failed(version, null, exception.Reason, exception.Message);
        }

        var view = await Registry(model).ApplyControlAsync(command with
        {
            Source = record.Source ?? (record.Location is { } location ? $"location {location}" : "control-topic"),
            Sha256 = record.Sha256 ?? files?.Sha256,
            Activate = record.Activate ?? true,
        });
        if (!view.Versions.TryGetValue(version, out var entry))
        {
            return;
        }

        if (entry.State == ModelVersionState.Rejected && entry.Silos.ContainsKey(Silo) && entry.Sha256 == (files?.Sha256 ?? entry.Sha256))
        {
            // Judged here already (a replay of the control topic at start): it fails the same way every time.
            await FollowAsync(view);
            return;
        }

        if (problem is null && entry.Sha256 is { } registered && files is not null && !string.Equals(registered, files.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            problem = Failed(version, files.Sha256, "checksum-mismatch", $"this silo read other bytes (SHA-256 {files.Sha256}) than the registered version {version} ({registered}); a location must hold the same files for every silo.");
        }

        if (problem is null && _results.TryGetValue((model, version), out var known) && known.Sha256 == files!.Sha256)
        {
            // Validated here already (found in the models root, or a replay): just say so.
            await FollowAsync(await Registry(model).ReportAsync(Silo, [ToReport(known)], false, null));
            return;
        }

        problem ??= Materialize(files!);
        if (problem is not null)
        {
            LogRejected(model, version, problem.Reason!, problem.Message!);
        }

        var report = problem ?? ToReport(_results[(model, version)]);
        await FollowAsync(await Registry(model).ReportAsync(Silo, [report], false, null));
    }

    /// <summary>Writes a published version into the models root, loads and validates it; null when it may be served, else the rejection.</summary>
    private ModelVersionReport? Materialize(PublishedVersion files)
    {
        var key = (files.Model, files.Version);
        var replace = !(_results.TryGetValue(key, out var earlier) && earlier.Passed);
        string directory;
        try
        {
            directory = files.WriteTo(catalog.RootDirectory, replace);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Failed(files.Version, files.Sha256, "checksum-mismatch", $"Cannot write version {files.Version} into {catalog.RootDirectory}: {exception.Message}");
        }

        ModelDescriptor descriptor;
        try
        {
            descriptor = ModelRepository.LoadVersion(Path.GetDirectoryName(directory)!, files.Version);
        }
        catch (ModelConfigurationException exception)
        {
            Directory.Delete(directory, recursive: true);
            return Failed(files.Version, files.Sha256, exception.Reason, exception.Message);
        }

        var result = Validate(descriptor);
        if (!result.Passed)
        {
            // A published version that failed is not kept: publishing it again with other bytes starts afresh.
            Directory.Delete(directory, recursive: true);
            return ToReport(result);
        }

        catalog.Add(descriptor);
        return null;
    }

    private ModelValidation Validate(ModelDescriptor version)
    {
        var result = validator.Validate(version);
        _results[(version.Name, version.Version)] = result;
        if (result.Passed)
        {
            LogValidated(version.Name, version.Version, result.Signature!.InputShape, result.Signature.OutputShape, result.Sha256!);
        }
        else
        {
            LogRejected(version.Name, version.Version, result.Reason!, result.Message!);
        }

        return result;
    }

    private async Task ReportAllAsync(bool reportServing = true)
    {
        foreach (var name in catalog.Names)
        {
            var reports = catalog.Versions(name).Select(v => ToReport(_results.TryGetValue((name, v.Version), out var r) ? r : Validate(v)))
                .Concat(catalog.Problems.Where(p => p.Model == name && p.Version.Length > 0).Select(p => Failed(p.Version, null, ModelRejectionReasons.InvalidFiles, p.Reason)))
                .ToArray();
            try
            {
                await FollowAsync(await Registry(name).ReportAsync(Silo, reports, repository: true, catalog.ConfiguredVersion(name)), reportServing);
            }
            catch (Exception exception) when (exception is TimeoutException or OrleansException)
            {
                LogRegistryUnreachable(exception, name, catalog.TryGet(name, out var served) ? served.Version : "?");
            }
        }
    }

    /// <summary>Serves the registry's active version if this silo validated it; otherwise keeps serving a validated one and reports why.</summary>
    private async Task FollowAsync(ModelRegistryState view, bool reportServing = true)
    {
        if (_revisions.TryGetValue(view.Model, out var seen) && view.Revision < seen)
        {
            return;
        }

        _revisions[view.Model] = view.Revision;
        if (!catalog.TryGet(view.Model, out var current))
        {
            return;
        }

        shadowCandidates.Set(view.Model, CandidateOf(view));
        string? note = null;
        var target = current;
        if (view.Active is { } active && catalog.TryGet(view.Model, active, out var wanted) && Passed(wanted))
        {
            target = wanted;
        }
        else
        {
            if (view.Active is { } missing)
            {
                note = catalog.TryGet(view.Model, missing, out _)
                    ? $"version {missing} is active, but this silo rejected it ({_results[(view.Model, missing)].Message})"
                    : $"version {missing} is active, but this silo does not have it (its control record may not have arrived yet, or is no longer on the topic)";
            }

            if (!Passed(current) && catalog.Versions(view.Model).Where(Passed).LastOrDefault() is { } fallback)
            {
                target = fallback;
            }
        }

        if (target.Version != current.Version)
        {
            catalog.Activate(target.Name, target.Version);
            LogSwitched(target.Name, target.Version, current.Version);
        }

        if (!reportServing)
        {
            return;
        }

        if (note is not null)
        {
            LogNotServing(view.Model, view.Active!, target.Version, note);
        }

        await Registry(view.Model).ReportServingAsync(Silo, target.Version, note);
    }

    /// <summary>The registry's candidate (see <see cref="ShadowCandidates.Of"/>) among the versions this silo validated; null when there is none.</summary>
    private ModelDescriptor? CandidateOf(ModelRegistryState view) =>
        ShadowCandidates.Of(view, v => catalog.TryGet(view.Model, v, out var version) && Passed(version)) is { } candidate
            ? catalog.TryGet(view.Model, candidate, out var descriptor) ? descriptor : null
            : null;

    private bool Passed(ModelDescriptor version) =>
        _results.TryGetValue((version.Name, version.Version), out var result) ? result.Passed : Validate(version).Passed;

    private IModelRegistryGrain Registry(string model) => grains.GetGrain<IModelRegistryGrain>(model);

    private static ModelVersionReport Failed(string version, string? sha256, string reason, string message) => new(version, sha256, false, reason, message);

    private static ModelVersionReport ToReport(ModelValidation result)
    {
        var (metric, value) = QualityOf(result.Model);
        return new ModelVersionReport(result.Model.Version, result.Sha256, result.Passed, result.Reason, result.Message)
        {
            InputName = result.Signature?.InputName,
            InputShape = result.Signature?.InputShape,
            OutputName = result.Signature?.OutputName,
            OutputShape = result.Signature?.OutputShape,
            LabelCount = result.Signature?.LabelCount,
            QualityMetric = metric,
            QualityValue = value,
        };
    }

    /// <summary>The model card's headline figure: test_accuracy, else accuracy, else val_accuracy, from the metrics.json in force.</summary>
    private static (string? Metric, double? Value) QualityOf(ModelDescriptor model)
    {
        if (model.MetricsPath is not { } path)
        {
            return (null, null);
        }

        try
        {
            using var metrics = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var name in (ReadOnlySpan<string>)["test_accuracy", "accuracy", "val_accuracy"])
            {
                if (metrics.RootElement.ValueKind == JsonValueKind.Object && metrics.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
                {
                    return (name, value.GetDouble());
                }
            }
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            // A model card that cannot be read says nothing about whether the model can serve.
        }

        return (null, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} validated on this silo: input {InputShape}, output {OutputShape}, SHA-256 {Sha256}")]
    private partial void LogValidated(string model, string version, string inputShape, string outputShape, string sha256);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} version {Version} rejected on this silo ({Reason}): {Message}")]
    private partial void LogRejected(string model, string version, string reason, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} now serves version {Version} (was {Previous}): records read from now on are classified by it")]
    private partial void LogSwitched(string model, string version, string previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: the registry's active version is {Active}, this silo keeps serving {Serving}: {Note}")]
    private partial void LogNotServing(string model, string active, string serving, string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Models control record {Topic}/{Partition}/{Offset} (model {Model}) refused: {Error}")]
    private partial void LogInvalidRecord(string topic, int partition, long offset, string model, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The registry of model {Model} cannot be reached; this silo serves version {Version} meanwhile and tries again")]
    private partial void LogRegistryUnreachable(Exception exception, string model, string version);
}
