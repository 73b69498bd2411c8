namespace MLwatch.Hosting.Api.OpenInference;

/// <summary>Section "OpenInference": the Open Inference Protocol (KServe v2) endpoints under /v2.</summary>
public sealed class OpenInferenceOptions
{
    /// <summary>
    /// How long an infer call waits for its record's reply before answering 504 (the record stays on the request topic
    /// and is still counted once; a retry with the same id waits for it again). Kept below Orleans' 30 s response
    /// timeout, which bounds each wait on the reply grain. Defaults to 20 s.
    /// </summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Most images (elements of a BYTES input, or tensors of an FP32 one) one infer call may carry. Defaults to 64.</summary>
    public int MaxImagesPerRequest { get; set; } = 64;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (ReplyTimeout <= TimeSpan.Zero || ReplyTimeout >= TimeSpan.FromSeconds(30))
        {
            throw new ArgumentException($"OpenInference.ReplyTimeout must be > 0 and < 30 s (Orleans' response timeout), was {ReplyTimeout}.");
        }

        if (MaxImagesPerRequest < 1)
        {
            throw new ArgumentException($"OpenInference.MaxImagesPerRequest must be >= 1, was {MaxImagesPerRequest}.");
        }
    }
}
