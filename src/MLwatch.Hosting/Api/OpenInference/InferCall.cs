using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Inference;
using MLwatch.Grains.Inference;
using MLwatch.Inference;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;

namespace MLwatch.Hosting.Api.OpenInference;

/// <summary>
/// One infer call: validate, claim each image's request id in its reply grain, produce the record only when the claim
/// is new (a retry with the same id waits for the first one's record instead), and await the replies.
/// </summary>
internal sealed partial class InferCall(
    ModelCatalog catalog,
    SiloReadiness readiness,
    InferRequestProducer producer,
    IGrainFactory grains,
    IOptions<OpenInferenceOptions> options,
    IOptions<IngestOptions> ingest,
    IOptions<InferenceOptions> inference,
    ILogger<InferCall> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Room in the record key for "#63" when a request carries several images.
    private const int BatchSuffixBytes = 8;

    public async Task<IResult> InferAsync(string model, string? version, HttpRequest http)
    {
        if (OpenInferenceEndpoints.Resolve(model, version, catalog, out var served) is { } notServed)
        {
            return notServed;
        }

        if (readiness.NotReadyBecause() is { } why)
        {
            return OpenInferenceEndpoints.Error(StatusCodes.Status503ServiceUnavailable, why + " Retry later (GET /v2/health/ready says when).", OpenInferenceReasons.NotReady);
        }

        InferRequestJson? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<InferRequestJson>(http.Body, Json, http.HttpContext.RequestAborted);
        }
        catch (JsonException exception)
        {
            return Invalid($"The body is not an infer request ({exception.Message}).");
        }

        if (request is null)
        {
            return Invalid("The body is empty; send an infer request: {\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"<base64>\"]}]}.");
        }

        if (!InferInputs.TryRead(request, served, options.Value, inference.Value.MaxImageBytes, out var inputs, out var error))
        {
            return Results.Json(error, Json, statusCode: StatusCodes.Status400BadRequest);
        }

        var id = string.IsNullOrEmpty(request.Id) ? Guid.NewGuid().ToString("N") : request.Id;
        if (Encoding.UTF8.GetByteCount(id) + BatchSuffixBytes > ingest.Value.MaxKeyBytes)
        {
            return OpenInferenceEndpoints.Error(StatusCodes.Status400BadRequest, $"The id is over {ingest.Value.MaxKeyBytes - BatchSuffixBytes} bytes (Ingest.MaxKeyBytes, less room for an image index); send a shorter id.", IngestRejectionReasons.KeyTooLarge);
        }

        var keys = inputs.Values.Count == 1 ? [id] : inputs.Values.Select((_, i) => $"{id}#{i}").ToArray();
        InferenceReply?[] replies;
        try
        {
            replies = await Task.WhenAll(keys.Select((key, i) => SendAndWaitAsync(key, model, inputs.Values[i], inputs.IsTensor, inputs.TopK)));
        }
        catch (ProduceException<byte[], byte[]> exception)
        {
            LogProduceFailed(logger, id, exception.Error.Reason);
            return OpenInferenceEndpoints.Error(StatusCodes.Status503ServiceUnavailable, $"The request could not be written to the request topic ({exception.Error.Reason}); retry with the same id.", OpenInferenceReasons.ProduceFailed);
        }

        if (Array.FindIndex(replies, r => r is null) is var missing and >= 0)
        {
            return OpenInferenceEndpoints.Error(
                StatusCodes.Status504GatewayTimeout,
                $"No reply for {keys[missing]} within {options.Value.ReplyTimeout} (OpenInference.ReplyTimeout): its record is on the request topic and will be counted once; retry with the same id to get its answer.",
                OpenInferenceReasons.ReplyTimeout);
        }

        if (Array.FindIndex(replies, r => !r!.IsSuccess) is var refused and >= 0)
        {
            var rejection = replies[refused]!;
            // The server's faults (MLwatch's or the model's) are 500s; the image's are 400s.
            var status = rejection.RejectionReason == IngestRejectionReasons.InternalError || ImageRejectionReasons.IsVersionFault(rejection.RejectionReason) ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest;
            var which = keys.Length == 1 ? "The image" : $"Image {refused}";
            return OpenInferenceEndpoints.Error(status, $"{which} was refused: {rejection.RejectionMessage}", rejection.RejectionReason!);
        }

        return Results.Json(InferResponses.From(model, id, [.. replies.Select(r => r!)], inputs.TopK), Json);
    }

    private async Task<InferenceReply?> SendAndWaitAsync(string key, string model, byte[] value, bool isTensor, int topK)
    {
        var replies = grains.GetGrain<IInferenceReplyGrain>(key);
        if (await replies.ClaimAsync() == ReplyClaim.Produce)
        {
            try
            {
                // Not cancelled with the HTTP call: a record handed to the producer may be written anyway, and giving the
                // claim back for one that was would let a retry produce it twice.
                await producer.ProduceAsync(key, model, value, isTensor, topK, CancellationToken.None);
            }
            catch (ProduceException<byte[], byte[]> exception) when (exception.DeliveryResult?.Status == PersistenceStatus.NotPersisted)
            {
                await replies.AbandonAsync();
                throw;
            }
        }

        return await replies.WaitAsync(options.Value.ReplyTimeout);
    }

    private static IResult Invalid(string message) => OpenInferenceEndpoints.Error(StatusCodes.Status400BadRequest, message, OpenInferenceReasons.InvalidRequest);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Open Inference request {RequestId} could not be produced to the request topic: {Reason}")]
    private static partial void LogProduceFailed(ILogger logger, string requestId, string reason);
}
