using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Inference;
using MLwatch.Grains.Inference;
using MLwatch.Hosting.Configuration;
using MLwatch.Inference.Models;

namespace MLwatch.Hosting.Api.OpenInference;

/// <summary>
/// The Open Inference Protocol (KServe v2, Triton, Seldon) over HTTP: health, server and model metadata, readiness, and
/// infer. An infer call is not run here: its images go to the request topic as records like any producer's (so they
/// are counted, monitored and checkpointed exactly once with the stream), and the answer comes back through the
/// request id's <see cref="IInferenceReplyGrain"/>, which also makes a retry with the same id wait for (or return) the
/// first one's answer instead of producing again.
/// </summary>
internal static class OpenInferenceEndpoints
{
    /// <summary>The platform model metadata names (Triton's name for ONNX Runtime models).</summary>
    public const string Platform = "onnxruntime_onnx";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps /v2/health/* (open, like /healthz) and /v2, /v2/models/* (behind the read key when Api:RequireKeyForReads).</summary>
    public static void MapOpenInference(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/health/live", () => Results.Ok(new { live = true }));
        app.MapGet("/v2/health/ready", (SiloReadiness readiness) => readiness.NotReadyBecause() is { } why
            ? Results.Json(new { ready = false, reason = why }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Ok(new { ready = true }));

        var apiOptions = app.ServiceProvider.GetRequiredService<IOptions<ApiOptions>>();
        var v2 = app.MapGroup("/v2").AddEndpointFilter(new ApiKeyFilter(apiOptions, forReads: true));
        v2.MapGet("", () => Results.Ok(new { name = "mlwatch", version = typeof(OpenInferenceEndpoints).Assembly.GetName().Version?.ToString(), extensions = Array.Empty<string>() }));
        v2.MapGet("/models/{model}", (string model, ModelCatalog catalog) => Metadata(model, null, catalog));
        v2.MapGet("/models/{model}/versions/{version}", (string model, string version, ModelCatalog catalog) => Metadata(model, version, catalog));
        v2.MapGet("/models/{model}/ready", (string model, ModelCatalog catalog, SiloReadiness readiness) => Ready(model, null, catalog, readiness));
        v2.MapGet("/models/{model}/versions/{version}/ready", (string model, string version, ModelCatalog catalog, SiloReadiness readiness) => Ready(model, version, catalog, readiness));
        v2.MapPost("/models/{model}/infer", (string model, HttpRequest request, InferCall call) => call.InferAsync(model, null, request));
        v2.MapPost("/models/{model}/versions/{version}/infer", (string model, string version, HttpRequest request, InferCall call) => call.InferAsync(model, version, request));
    }

    /// <summary>The served version of <paramref name="model"/> (which must be <paramref name="version"/> when given), or the 404 that says why not.</summary>
    public static IResult? Resolve(string model, string? version, ModelCatalog catalog, out ModelDescriptor served)
    {
        if (!catalog.TryGet(model, out served!))
        {
            return Error(StatusCodes.Status404NotFound, $"Model '{model}' is not served; served: {string.Join(", ", catalog.All.Select(m => m.Name))}.", IngestRejectionReasons.UnknownModel);
        }

        if (version is not null && version != served.Version)
        {
            var known = catalog.TryGet(model, version, out _) ? $"Version {version} of {model} is loaded but not served" : $"Model {model} has no version {version}";
            return Error(StatusCodes.Status404NotFound, $"{known}; the served version is {served.Version} (POST /v2/models/{model}/infer serves it).", OpenInferenceReasons.UnknownVersion);
        }

        return null;
    }

    /// <summary>An OIP error: {"error": message, "reason": code}.</summary>
    public static IResult Error(int status, string message, string reason) => Results.Json(new InferErrorJson(message, reason), Json, statusCode: status);

    private static IResult Metadata(string model, string? version, ModelCatalog catalog)
    {
        if (Resolve(model, null, catalog, out var served) is { } notServed)
        {
            return notServed;
        }

        var descriptor = served;
        if (version is not null && !catalog.TryGet(model, version, out descriptor!))
        {
            return Error(StatusCodes.Status404NotFound, $"Model {model} has no version {version}; it has {string.Join(", ", catalog.Versions(model).Select(v => v.Version))}.", OpenInferenceReasons.UnknownVersion);
        }

        var config = descriptor.Config;
        return Results.Json(
            new ModelMetadataJson(
                model,
                version is null ? [.. catalog.Versions(model).Select(v => v.Version)] : [version],
                Platform,
                [
                    new TensorMetadataJson(InferInputs.ImageInput, "BYTES", [-1]),
                    new TensorMetadataJson(config.InputName, "FP32", [-1, .. InferInputs.ImageDims(config)]),
                ],
                [
                    new TensorMetadataJson(InferResponses.Label, "BYTES", [-1]),
                    new TensorMetadataJson(InferResponses.Confidence, "FP32", [-1]),
                    new TensorMetadataJson(InferResponses.TopKLabels, "BYTES", [-1, -1]),
                    new TensorMetadataJson(InferResponses.TopKScores, "FP32", [-1, -1]),
                ]),
            Json);
    }

    private static IResult Ready(string model, string? version, ModelCatalog catalog, SiloReadiness readiness)
    {
        if (Resolve(model, version, catalog, out _) is { } notServed)
        {
            return notServed;
        }

        return readiness.NotReadyBecause() is { } why
            ? Results.Json(new { name = model, ready = false, reason = why }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Ok(new { name = model, ready = true });
    }
}
