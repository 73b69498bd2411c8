namespace MLwatch.Grains.Shadow;

/// <summary>
/// Section "Models:Shadow": a model's candidate version (validated, published without activation) scores every record
/// beside the active version, and the two are compared; the candidate's answers are never counted as live predictions.
/// </summary>
public sealed class ShadowOptions
{
    /// <summary>Whether candidates are shadowed at all. Defaults to true: a model with a candidate shadows it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Models whose candidates are not shadowed (each shadow costs one more inference per record: a large candidate on a
    /// busy model may be too much). Defaults to none.
    /// </summary>
    public string[] DisabledModels { get; set; } = [];

    /// <summary>Length of one comparison window, aligned to the epoch (windows start at whole multiples). Defaults to 1 minute.</summary>
    public TimeSpan WindowDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many windows each comparison keeps (oldest dropped first; the total keeps counting). Defaults to 1440 (a day of minutes).</summary>
    public int WindowsKept { get; set; } = 1440;

    /// <summary>Whether the candidates of <paramref name="model"/> are shadowed.</summary>
    public bool IsEnabledFor(string model) => Enabled && !DisabledModels.Contains(model, StringComparer.Ordinal);

    /// <summary>Throws when a field cannot work, naming it.</summary>
    public void Validate()
    {
        if (WindowDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"Models.Shadow.WindowDuration must be at least 1 s, was {WindowDuration}.");
        }

        if (WindowsKept < 1)
        {
            throw new ArgumentException($"Models.Shadow.WindowsKept must be >= 1, was {WindowsKept}.");
        }
    }
}
