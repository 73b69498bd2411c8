using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLwatch.Hosting.Api.OpenInference;

// The Open Inference Protocol's REST JSON (KServe v2 "required_api", Triton's HTTP protocol), snake_case as published.

/// <summary>$inference_request: the request id, its inputs, and parameters (mlwatch reads "top_k").</summary>
internal sealed record InferRequestJson(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("inputs")] IReadOnlyList<InferInputJson>? Inputs,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, JsonElement>? Parameters);

/// <summary>$request_input: a named tensor with its shape, datatype and (row-major, flat or nested) data.</summary>
internal sealed record InferInputJson(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("shape")] IReadOnlyList<long>? Shape,
    [property: JsonPropertyName("datatype")] string? Datatype,
    [property: JsonPropertyName("data")] JsonElement Data);

/// <summary>$inference_response.</summary>
internal sealed record InferResponseJson(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("outputs")] IReadOnlyList<InferOutputJson> Outputs);

/// <summary>$response_output.</summary>
internal sealed record InferOutputJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("data")] object Data);

/// <summary>$metadata_model_response.</summary>
internal sealed record ModelMetadataJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("versions")] IReadOnlyList<string> Versions,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("inputs")] IReadOnlyList<TensorMetadataJson> Inputs,
    [property: JsonPropertyName("outputs")] IReadOnlyList<TensorMetadataJson> Outputs);

/// <summary>$metadata_tensor.</summary>
internal sealed record TensorMetadataJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape);

/// <summary>$inference_error_response, with mlwatch's reason code beside the message.</summary>
internal sealed record InferErrorJson(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("reason")] string Reason);
