using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLwatch.IntegrationTests.OpenInference;

/// <summary>
/// A small Open Inference Protocol REST client written from the protocol's published JSON schemas only
/// ($inference_request, $inference_response, $metadata_model_response, $inference_error_response in KServe's
/// required_api.md): none of the server's types, so what it accepts is what any OIP client sends.
/// </summary>
internal sealed class OipSchemaClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task<(HttpStatusCode Status, OipResponse? Response, OipError? Error)> InferAsync(string model, OipRequest request, string? version = null)
    {
        var path = version is null ? $"v2/models/{model}/infer" : $"v2/models/{model}/versions/{version}/infer";
        using var answer = await http.PostAsJsonAsync(path, request, Json);
        return answer.IsSuccessStatusCode
            ? (answer.StatusCode, await answer.Content.ReadFromJsonAsync<OipResponse>(Json), null)
            : (answer.StatusCode, null, await answer.Content.ReadFromJsonAsync<OipError>(Json));
    }

    public async Task<OipModelMetadata> GetMetadataAsync(string model) =>
        (await http.GetFromJsonAsync<OipModelMetadata>($"v2/models/{model}", Json))!;
}

internal sealed record OipRequest(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("inputs")] IReadOnlyList<OipRequestInput> Inputs,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, object>? Parameters = null);

internal sealed record OipRequestInput(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("data")] object Data);

internal sealed record OipResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string? ModelVersion,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("outputs")] IReadOnlyList<OipResponseOutput> Outputs)
{
    public OipResponseOutput Output(string name) => Outputs.Single(o => o.Name == name);
}

internal sealed record OipResponseOutput(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("data")] JsonElement Data)
{
    public string[] Strings() => [.. Data.EnumerateArray().Select(e => e.GetString()!)];

    public float[] Floats() => [.. Data.EnumerateArray().Select(e => e.GetSingle())];
}

internal sealed record OipModelMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("versions")] IReadOnlyList<string>? Versions,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("inputs")] IReadOnlyList<OipTensorMetadata> Inputs,
    [property: JsonPropertyName("outputs")] IReadOnlyList<OipTensorMetadata> Outputs);

internal sealed record OipTensorMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape);

/// <summary>$inference_error_response; "reason" is MLwatch's code beside it (absent from the schema, so optional here).</summary>
internal sealed record OipError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("reason")] string? Reason);
