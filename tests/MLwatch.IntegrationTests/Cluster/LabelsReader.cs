using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.Cluster;

/// <summary>
/// A client reading GET /api/models/fashion-mnist/labels from some silos in turn, as fast as they answer, while a fault
/// happens elsewhere: it records every status, whether each 503 came as problem+json with Retry-After, and how long the
/// slowest answer took. Its own timeout (30 s) is far above Api:ReadTimeout (5 s), so a read that hangs shows as one.
/// </summary>
internal sealed class LabelsReader : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<HttpStatusCode, int> _statuses = [];
    private readonly List<string> _violations = [];
    private readonly Task _loop;
    private TimeSpan _slowest;
    private TimeSpan _slowest503;

    private LabelsReader(IReadOnlyList<Uri> silos) => _loop = Task.Run(() => ReadAsync(silos));

    /// <summary>Starts reading from <paramref name="silos"/> (their API addresses are fixed for their lifetime).</summary>
    public static LabelsReader Start(IEnumerable<ClusterSilo> silos) => new([.. silos.Select(s => s.Api.BaseAddress!)]);

    /// <summary>Stops reading and reports what was seen.</summary>
    public async Task<Report> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return new Report(new Dictionary<HttpStatusCode, int>(_statuses), [.. _violations], _slowest, _slowest503);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(IReadOnlyList<Uri> silos)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var silo = silos[i % silos.Count];
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await _http.GetAsync(new Uri(silo, "api/models/fashion-mnist/labels"), _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                Record(silo, response, body, clock.Elapsed);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // A survivor that does not answer at all, or only after 30 s: the bounded read did not hold.
                _violations.Add($"{silo}: no answer after {clock.Elapsed.TotalSeconds:F1} s ({exception.GetType().Name}: {exception.Message})");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private void Record(Uri silo, HttpResponseMessage response, string body, TimeSpan elapsed)
    {
        _statuses[response.StatusCode] = _statuses.GetValueOrDefault(response.StatusCode) + 1;
        _slowest = elapsed > _slowest ? elapsed : _slowest;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return;
        }

        if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            _violations.Add($"{silo}: {(int)response.StatusCode} {body}");
            return;
        }

        _slowest503 = elapsed > _slowest503 ? elapsed : _slowest503;
        if (response.Headers.RetryAfter?.Delta is not { TotalSeconds: > 0 })
        {
            _violations.Add($"{silo}: 503 without a Retry-After delay: {body}");
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            _violations.Add($"{silo}: 503 as {response.Content.Headers.ContentType}, not problem+json: {body}");
            return;
        }

        using var problem = JsonDocument.Parse(body);
        if (!problem.RootElement.TryGetProperty("transient", out var transient) || !transient.GetBoolean()
            || !problem.RootElement.GetProperty("detail").GetString()!.Contains("transient", StringComparison.Ordinal))
        {
            _violations.Add($"{silo}: 503 whose problem does not say it is transient: {body}");
        }
    }

    /// <summary>What the reader saw: answers by status, and every answer that was neither 200 nor a well-formed 503.</summary>
    public sealed record Report(IReadOnlyDictionary<HttpStatusCode, int> Statuses, IReadOnlyList<string> Violations, TimeSpan Slowest, TimeSpan Slowest503)
    {
        public int Count(HttpStatusCode status) => Statuses.GetValueOrDefault(status);

        public void AssertOnlyOkOrRetryable()
        {
            Assert.True(Violations.Count == 0, $"reads answered other than 200 or 503 with Retry-After:{Environment.NewLine}{string.Join(Environment.NewLine, Violations.Take(20))}");
            Assert.True(Count(HttpStatusCode.OK) > 0, "no read succeeded at all");
        }

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}: {s.Value}"))}; {Violations.Count} other; slowest answer {Slowest.TotalSeconds:F1} s (slowest 503 {Slowest503.TotalSeconds:F1} s)");
    }
}
