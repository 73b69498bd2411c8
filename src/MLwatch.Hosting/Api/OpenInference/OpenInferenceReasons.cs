namespace MLwatch.Hosting.Api.OpenInference;

/// <summary>
/// Reason codes of Open Inference Protocol errors found before a record is produced (the "reason" field beside
/// "error"). Refusals of the pipeline itself carry the dead letter's code (ImageRejectionReasons, IngestRejectionReasons).
/// </summary>
public static class OpenInferenceReasons
{
    /// <summary>The body is not an infer request: not JSON, no inputs, a shape that does not match its data, an unknown datatype.</summary>
    public const string InvalidRequest = "invalid-request";

    /// <summary>An element of a BYTES input is not a base64 string.</summary>
    public const string InvalidBase64 = "invalid-base64";

    /// <summary>The model (mlwatch's unknown-model) or version is not served.</summary>
    public const string UnknownVersion = "unknown-version";

    /// <summary>The silo is not ready to infer (joining the cluster, no model served, storage degraded, a partition stalled).</summary>
    public const string NotReady = "not-ready";

    /// <summary>No reply within OpenInference.ReplyTimeout; retry with the same id.</summary>
    public const string ReplyTimeout = "reply-timeout";

    /// <summary>The request could not be written to the request topic.</summary>
    public const string ProduceFailed = "produce-failed";
}
