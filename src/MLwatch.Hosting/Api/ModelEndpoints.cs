using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Models;
using MLwatch.Abstractions.Speculative;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Grains.Models;
using MLwatch.Inference.Models;

namespace MLwatch.Hosting.Api;

/// <summary>
/// The model registry over HTTP: list versions with metadata, state and history; publish a version (multipart upload or a
/// location); activate one; promote the candidate; roll back; read how shadowed candidates compare. Writes go through the models control topic like any other publisher's, and the
/// answer waits (Models:CommandTimeout) until the registry has applied them, so it says what came of it.
/// </summary>
internal static class ModelEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>GET /api/models/{model}/versions (each with its serving statistics), /versions/{version}/stats, /shadow and /speculative (which version answered, for a model with a fallback).</summary>
    public static void MapModelReads(RouteGroupBuilder api)
    {
        api.MapGet("/models/{model}/versions", async (string model, IGrainFactory grains, ModelCatalog catalog) =>
        {
            var registry = await grains.GetGrain<IModelRegistryGrain>(model).GetAsync();
            if (registry.Versions.Count == 0 && !catalog.TryGet(model, out _))
            {
                return UnknownModel(model, catalog);
            }

            var serving = await Task.WhenAll(registry.Versions.Keys.Select(v => ServingStatsOf(grains, model, v)));
            return Results.Ok(ToJson(registry, catalog, serving.ToDictionary(s => s.Version, StringComparer.Ordinal)));
        });
        api.MapGet("/models/{model}/versions/{version}/stats", async (string model, string version, IGrainFactory grains, ModelCatalog catalog) =>
        {
            var registry = await grains.GetGrain<IModelRegistryGrain>(model).GetAsync();
            return registry.Versions.ContainsKey(version) || (catalog.TryGet(model, out var served) && served.Version == version)
                ? Results.Ok(ToJson(await ServingStatsOf(grains, model, version), detailed: true))
                : Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Unknown model version",
                    detail: $"No version '{version}' of model '{model}' is known. Known versions: {string.Join(", ", registry.Versions.Keys.Order(ModelVersions.Order))}.");
        });

        api.MapGet("/models/{model}/shadow", async (string model, IGrainFactory grains, ModelCatalog catalog, IOptions<ModelsOptions> options) =>
        {
            var registry = await grains.GetGrain<IModelRegistryGrain>(model).GetAsync();
            return registry.Versions.Count == 0 && !catalog.TryGet(model, out _)
                ? UnknownModel(model, catalog)
                : Results.Ok(await ShadowReport.ReadAsync(registry, grains, catalog, options.Value.Shadow));
        });

        api.MapGet("/models/{model}/speculative", async (string model, IGrainFactory grains, ModelCatalog catalog, IOptions<ModelsOptions> options) =>
        {
            if (!catalog.TryGet(model, out _))
            {
                return UnknownModel(model, catalog);
            }

            var fallback = options.Value.Fallbacks.GetValueOrDefault(model);
            var answers = await grains.GetGrain<ISpeculativeServingGrain>(model).GetSnapshotAsync();
            return Results.Ok(new
            {
                model,
                fallback = fallback is null ? null : new { model = fallback.Model, deadlineMs = fallback.Deadline.TotalMilliseconds },
                answers.Answers,
                answers.PrimaryAnswers,
                answers.FallbackAnswers,
                answers.Total,
                answers.FallbackShare,
            });
        });
    }

    /// <summary>POST /api/models/{model}/versions, /activate, /promote (activates the candidate) and /rollback (admin).</summary>
    public static void MapModelAdmin(RouteGroupBuilder admin)
    {
        admin.MapPost("/models/{model}/versions", async (string model, HttpRequest request, IGrainFactory grains, ModelCatalog catalog, ModelControlPublisher publisher, IOptions<ModelsOptions> options) =>
        {
            if (!ModelVersions.IsValidName(model))
            {
                return BadRequest($"'{model}' is not a model name ({ModelVersions.NameRule}).");
            }

            var (record, error) = request.HasFormContentType ? await FromFormAsync(model, request) : await FromJsonAsync(model, request);
            if (record is null)
            {
                return BadRequest(error!);
            }

            TopicPartitionOffset position;
            try
            {
                position = await publisher.PublishAsync(record, request.HttpContext.RequestAborted);
            }
            catch (ArgumentException exception)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Model too large for the control topic", detail: exception.Message);
            }

            var version = record.Version!;
            var registry = grains.GetGrain<IModelRegistryGrain>(model);
            var (view, refusal) = await WaitAsync(registry, position, v => v.Versions.TryGetValue(version, out var e) && e.State != ModelVersionState.Loading, options.Value.CommandTimeout);
            if (refusal is not null)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Publish refused", detail: refusal.Message);
            }

            if (view is null || !view.Versions.TryGetValue(version, out var entry) || entry.State == ModelVersionState.Loading)
            {
                return Accepted(position, $"Version {version} was published; no silo has validated it within {options.Value.CommandTimeout}. Follow it with GET /api/models/{model}/versions.");
            }

            if (entry.State == ModelVersionState.Rejected)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Version rejected",
                    detail: $"Version {version} of {model} was rejected: {entry.StateReason}. The version served before keeps serving.",
                    extensions: new Dictionary<string, object?> { ["reason"] = RejectionCode(entry), ["version"] = ToJson(entry) });
            }

            return Results.Created($"/api/models/{model}/versions", ToJson(view, catalog));
        });

        admin.MapPost("/models/{model}/activate", async (string model, HttpRequest request, IGrainFactory grains, ModelCatalog catalog, ModelControlPublisher publisher, IOptions<ModelsOptions> options) =>
        {
            var body = await ReadBodyAsync(request);
            if (body?["version"]?.ToString() is not { Length: > 0 } version)
            {
                return BadRequest("The body must name the version to activate: {\"version\":\"2\"} (optionally \"by\").");
            }

            return await CommandAsync(model, new ModelControlRecord { Type = ModelControlKinds.Activate, Model = model, Version = version, By = By(body) }, grains, catalog, publisher, options.Value);
        });

        admin.MapPost("/models/{model}/promote", async (string model, HttpRequest request, IGrainFactory grains, ModelCatalog catalog, ModelControlPublisher publisher, IOptions<ModelsOptions> options) =>
        {
            var registry = await grains.GetGrain<IModelRegistryGrain>(model).GetAsync();
            if (registry.Versions.Count == 0)
            {
                return UnknownModel(model, catalog);
            }

            if (ShadowReport.CandidateOf(registry) is not { } candidate)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "No candidate",
                    detail: $"Model {model} has no candidate version to promote (active: {registry.Active ?? "none"}); publish one with \"activate\": false first.");
            }

            return await CommandAsync(model, new ModelControlRecord { Type = ModelControlKinds.Activate, Model = model, Version = candidate, By = By(await ReadBodyAsync(request)) }, grains, catalog, publisher, options.Value);
        });

        admin.MapPost("/models/{model}/rollback", async (string model, HttpRequest request, IGrainFactory grains, ModelCatalog catalog, ModelControlPublisher publisher, IOptions<ModelsOptions> options) =>
            await CommandAsync(model, new ModelControlRecord { Type = ModelControlKinds.Rollback, Model = model, By = By(await ReadBodyAsync(request)) }, grains, catalog, publisher, options.Value));
    }

    private static async Task<IResult> CommandAsync(string model, ModelControlRecord record, IGrainFactory grains, ModelCatalog catalog, ModelControlPublisher publisher, ModelsOptions options)
    {
        var registry = grains.GetGrain<IModelRegistryGrain>(model);
        var before = await registry.GetAsync();
        if (before.Versions.Count == 0)
        {
            return UnknownModel(model, catalog);
        }

        var position = await publisher.PublishAsync(record);
        var (view, refusal) = await WaitAsync(registry, position, _ => true, options.CommandTimeout);
        if (refusal is not null)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"{record.Type} refused", detail: refusal.Message);
        }

        return view is null
            ? Accepted(position, $"The {record.Type} record was written; no silo applied it within {options.CommandTimeout}. Follow it with GET /api/models/{model}/versions.")
            : Results.Ok(ToJson(view, catalog));
    }

    /// <summary>Polls the registry until it applied the record at <paramref name="position"/> and <paramref name="done"/> holds, or the record was refused; (null, null) on timeout.</summary>
    private static async Task<(ModelRegistryState? View, ModelRegistryEvent? Refusal)> WaitAsync(
        IModelRegistryGrain registry, TopicPartitionOffset position, Func<ModelRegistryState, bool> done, TimeSpan timeout)
    {
        var control = $"{position.Topic}/{position.Partition.Value}/{position.Offset.Value}";
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var view = await registry.GetAsync();
            var applied = view.ControlApplied.TryGetValue($"{position.Topic}/{position.Partition.Value}", out var mark) && mark >= position.Offset.Value;
            if (applied)
            {
                if (view.Events.LastOrDefault(e => e.Control == control && e.Kind == ModelRegistryEventKinds.Refused) is { } refusal)
                {
                    return (view, refusal);
                }

                if (done(view))
                {
                    return (view, null);
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                return (null, null);
            }

            await Task.Delay(100);
        }
    }

    private static async Task<(ModelControlRecord? Record, string? Error)> FromFormAsync(string model, HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var onnx = form.Files.GetFile("onnx") ?? form.Files.GetFile(ModelRepository.OnnxFile);
        var version = form["version"].ToString();
        if (onnx is null || version.Length == 0)
        {
            return (null, "A multipart publish needs a form field \"version\" and a file part \"onnx\" (model.onnx); optional file parts: config, labels, reference, metrics; optional fields: by, activate.");
        }

        try
        {
            return (new ModelControlRecord
            {
                Type = ModelControlKinds.Publish,
                Model = model,
                Version = version,
                By = form["by"].ToString() is { Length: > 0 } by ? by : "api",
                Source = "api",
                Activate = !bool.TryParse(form["activate"].ToString(), out var activate) || activate,
                Onnx = Convert.ToBase64String(await ReadAsync(onnx)),
                Config = form.Files.GetFile("config") is { } config ? JsonNode.Parse(await ReadAsync(config)) as JsonObject ?? throw new JsonException("config is not a JSON object") : null,
                Labels = form.Files.GetFile("labels") is { } labels ? [.. System.Text.Encoding.UTF8.GetString(await ReadAsync(labels)).Split('\n').Select(l => l.TrimEnd('\r'))] : null,
                Reference = form.Files.GetFile("reference") is { } reference ? JsonNode.Parse(await ReadAsync(reference)) as JsonObject ?? throw new JsonException("reference is not a JSON object") : null,
                Metrics = form.Files.GetFile("metrics") is { } metrics ? JsonNode.Parse(await ReadAsync(metrics)) as JsonObject ?? throw new JsonException("metrics is not a JSON object") : null,
            }, null);
        }
        catch (JsonException exception)
        {
            return (null, $"A JSON file part is not valid JSON: {exception.Message}");
        }
    }

    private static async Task<(ModelControlRecord? Record, string? Error)> FromJsonAsync(string model, HttpRequest request)
    {
        var body = await ReadBodyAsync(request);
        ModelControlRecord? record;
        try
        {
            record = body?.Deserialize<ModelControlRecord>(Json);
        }
        catch (JsonException exception)
        {
            return (null, $"The body is not a publish request: {exception.Message}");
        }

        if (record is null || string.IsNullOrWhiteSpace(record.Version) || (record.Location is null == (record.Onnx is null)))
        {
            return (null, "Publish with multipart form data (version + onnx file), or a JSON body {\"version\":\"3\",\"location\":\"/dir/inside/an/allowed/root\"} (optional: by, activate, sha256).");
        }

        record.Type = ModelControlKinds.Publish;
        record.Model = model;
        record.By ??= "api";
        record.Source ??= record.Location is null ? "api" : $"api, location {record.Location}";
        return (record, null);
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || !(request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return null;
        }

        try
        {
            return await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]> ReadAsync(IFormFile file)
    {
        using var stream = new MemoryStream();
        await file.CopyToAsync(stream);
        return stream.ToArray();
    }

    private static string By(JsonObject? body) => body?["by"]?.ToString() is { Length: > 0 } by ? by : "api";

    private static string? RejectionCode(ModelVersionEntry entry) => entry.Silos.Values.Where(s => !s.Passed).Select(s => s.Reason).FirstOrDefault();

    private static Task<ModelServingStats> ServingStatsOf(IGrainFactory grains, string model, string version) =>
        grains.GetGrain<IModelServingStatsGrain>(new ModelKey(model, version).ToString()).GetAsync();

    private static object ToJson(ModelRegistryState registry, ModelCatalog catalog, IReadOnlyDictionary<string, ModelServingStats>? serving = null) => new
    {
        model = registry.Model,
        active = registry.Active,
        previous = registry.Previous,
        servedHere = catalog.TryGet(registry.Model, out var served) ? served.Version : null,
        revision = registry.Revision,
        versions = registry.Versions.Values.OrderBy(v => v.Version, ModelVersions.Order).Select(v => ToJson(v, serving?.GetValueOrDefault(v.Version))),
        silos = registry.Silos,
        activations = registry.Activations,
        events = Enumerable.Reverse(registry.Events),
    };

    private static object ToJson(ModelVersionEntry entry, ModelServingStats? serving = null) => new
    {
        version = entry.Version,
        state = entry.State,
        stateReason = entry.StateReason,
        createdAt = entry.CreatedAt,
        source = entry.Source,
        publishedBy = entry.PublishedBy,
        sha256 = entry.Sha256,
        input = new { name = entry.InputName, shape = entry.InputShape },
        output = new { name = entry.OutputName, shape = entry.OutputShape },
        labelCount = entry.LabelCount,
        quality = entry.QualityMetric is null ? null : new { metric = entry.QualityMetric, value = entry.QualityValue },
        activatedAt = entry.ActivatedAt,
        retiredAt = entry.RetiredAt,
        silos = entry.Silos,
        serving = serving is null ? null : ToJson(serving, detailed: false),
    };

    private static object ToJson(ModelServingStats stats, bool detailed) => new
    {
        model = stats.Model,
        version = stats.Version,
        since = stats.Since,
        count = stats.Records,
        errors = stats.Errors,
        totalMs = stats.TotalMs,
        minMs = stats.MinMs,
        maxMs = stats.MaxMs,
        meanMs = stats.MeanMs,
        p50Ms = stats.P50Ms,
        p95Ms = stats.P95Ms,
        p99Ms = stats.P99Ms,
        endToEnd = new { p50Ms = stats.EndToEndP50Ms, p95Ms = stats.EndToEndP95Ms, p99Ms = stats.EndToEndP99Ms },
        batches = stats.Batches,
        batchSizeMean = stats.BatchSizeMean,
        batchSizes = detailed ? stats.BatchSizes.ToDictionary(b => b.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), b => b.Value) : null,
        perSilo = stats.PerSilo.ToDictionary(s => s.Key, s => detailed
            ? (object)new { count = s.Value.Records, errors = s.Value.Errors, since = s.Value.Since, reportedAt = s.Value.ReportedAt }
            : new { count = s.Value.Records, errors = s.Value.Errors }),
    };

    private static IResult Accepted(TopicPartitionOffset position, string detail) =>
        Results.Json(new { control = $"{position.Topic}/{position.Partition.Value}/{position.Offset.Value}", detail }, statusCode: StatusCodes.Status202Accepted);

    private static IResult BadRequest(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: detail);

    private static IResult UnknownModel(string model, ModelCatalog catalog) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown model",
        detail: $"No model '{model}' is known. Known models: {string.Join(", ", catalog.Names)}; publish a version of a new model with its config and labels.");
}
