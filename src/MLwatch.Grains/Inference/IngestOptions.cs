namespace MLwatch.Grains.Inference;

/// <summary>How records are read and where refused ones go.</summary>
public sealed class IngestOptions
{
    /// <summary>Directories that file-path records (content-type text/uri-list) may point into. Defaults to none: path records are refused.</summary>
    public List<string> AllowedRoots { get; set; } = [];

    /// <summary>Topic that refused records are written to, with their reason. Defaults to "mlwatch.deadletter".</summary>
    public string DeadLetterTopic { get; set; } = "mlwatch.deadletter";

    /// <summary>Values larger than this are dead-lettered without their value (headers say so). Defaults to 512 KiB.</summary>
    public int DeadLetterMaxValueBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// Records whose key is longer than this many bytes (UTF-8) are dead-lettered with reason <c>key-too-large</c> (the
    /// dead letter is keyed by the record's topic/partition/offset instead). Defaults to 1 KiB.
    /// </summary>
    public int MaxKeyBytes { get; set; } = 1024;

    /// <summary>
    /// Records whose headers (names and values, all together) exceed this many bytes are dead-lettered with reason
    /// <c>headers-too-large</c> (the dead letter omits the original headers). Defaults to 16 KiB.
    /// </summary>
    public int MaxHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>Throws when a field cannot work, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DeadLetterTopic))
        {
            throw new ArgumentException("Ingest.DeadLetterTopic must name a Kafka topic.");
        }

        if (DeadLetterMaxValueBytes < 0)
        {
            throw new ArgumentException($"Ingest.DeadLetterMaxValueBytes must be >= 0, was {DeadLetterMaxValueBytes}.");
        }

        if (MaxKeyBytes < 1)
        {
            throw new ArgumentException($"Ingest.MaxKeyBytes must be >= 1, was {MaxKeyBytes}.");
        }

        if (MaxHeaderBytes < 1)
        {
            throw new ArgumentException($"Ingest.MaxHeaderBytes must be >= 1, was {MaxHeaderBytes}.");
        }

        foreach (var root in AllowedRoots)
        {
            if (!Path.IsPathFullyQualified(root))
            {
                throw new ArgumentException($"Ingest.AllowedRoots entry '{root}' must be an absolute directory path.");
            }
        }
    }
}
