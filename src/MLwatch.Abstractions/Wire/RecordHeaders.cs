namespace MLwatch.Abstractions.Wire;

/// <summary>Kafka header names of the MLwatch wire format (all optional).</summary>
public static class RecordHeaders
{
    /// <summary>The model to run; absent means the default model.</summary>
    public const string Model = "mlwatch-model";

    /// <summary>Ground-truth label, when known.</summary>
    public const string Label = "mlwatch-label";

    /// <summary>When the producer sent the record, in Unix milliseconds; absent means the Kafka timestamp.</summary>
    public const string SentAt = "mlwatch-sent-at";

    /// <summary>Why a dead-lettered record was refused.</summary>
    public const string Error = "mlwatch-error";

    /// <summary>A short machine-readable reason code beside <see cref="Error"/>.</summary>
    public const string ErrorCode = "mlwatch-error-code";

    /// <summary>On a dead letter refused by a model version: "{model}@{version}".</summary>
    public const string ModelVersion = "mlwatch-model-version";

    /// <summary>Where a dead-lettered record came from ("topic/partition/offset").</summary>
    public const string Origin = "mlwatch-origin";

    /// <summary>Content type of the value; <see cref="UriListContentType"/> means the value is a file path.</summary>
    public const string ContentType = "content-type";

    /// <summary>The value is a file path under an allowed root instead of image bytes.</summary>
    public const string UriListContentType = "text/uri-list";

    /// <summary>
    /// The value is one preprocessed input tensor of the model's shape: its float32 elements, little-endian, in the
    /// model's layout (what the Open Inference Protocol's FP32 input carries).
    /// </summary>
    public const string Fp32TensorContentType = "application/x-fp32-tensor";

    /// <summary>
    /// A caller awaits this record's prediction (an Open Inference Protocol request): the value is how many of the best
    /// classes to answer with ("0" for the top-1 only). The reply goes to the request id's reply grain.
    /// </summary>
    public const string AwaitingReply = "mlwatch-reply-top-k";
}
