namespace MLwatch.Hosting.Configuration;

/// <summary>Section "Api": the HTTP query API.</summary>
public sealed class ApiOptions
{
    /// <summary>Where the API listens. Defaults to "http://127.0.0.1:5080".</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";
}
