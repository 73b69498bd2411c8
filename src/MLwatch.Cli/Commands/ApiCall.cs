using System.Text.Json;

namespace MLwatch.Cli.Commands;

/// <summary>One request of a CLI command to a silo's HTTP API, with the exit codes every such command uses.</summary>
internal static class ApiCall
{
    private const string KeyHeader = "X-Api-Key";

    /// <summary>
    /// Sends the request and prints the body (<paramref name="json"/>, or a 202 that only says what is pending) or
    /// renders it; exit code 0, 1 on an error status (printed with the body), 2 when the API is unreachable.
    /// </summary>
    public static async Task<int> SendAsync(
        string baseAddress, HttpMethod method, string path, Action<JsonElement> render, bool json, CancellationToken cancellationToken, string? key = null, HttpContent? content = null, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseAddress), Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.Add(KeyHeader, key);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            await System.Console.Error.WriteLineAsync($"Cannot reach the MLwatch API at {http.BaseAddress} ({exception.Message}). Start a silo (mlwatch silo or mlwatch demo) or pass --api.");
            return 2;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await System.Console.Error.WriteLineAsync($"{(int)response.StatusCode} from {http.BaseAddress}{path}: {body}");
            return 1;
        }

        if (json || response.StatusCode == System.Net.HttpStatusCode.Accepted)
        {
            System.Console.WriteLine(body);
        }
        else
        {
            render(JsonDocument.Parse(body).RootElement);
        }

        return 0;
    }
}
