namespace MLwatch.Grains.Speculative;

/// <summary>
/// One entry of "Models:Fallbacks" (keyed by the primary model's name): speculative serving. Every delivery's images go to
/// the primary model and to this fallback at once; when the primary has not answered within <see cref="Deadline"/>
/// (or failed), the fallback's answer is used and counted under the fallback's own model@version.
/// </summary>
public sealed class FallbackOptions
{
    /// <summary>The fallback model's name: a model of the models root (its served version answers). Required.</summary>
    public string Model { get; set; } = "";

    /// <summary>How long the primary may take for a delivery's images, from when they are handed to the executor. Defaults to 50 ms.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMilliseconds(50);
}
