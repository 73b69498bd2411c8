using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests;

/// <summary>Admin operations need Api:AdminKey; reads are open unless Api:RequireKeyForReads; no secret reaches the logs.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private const string KeyHeader = "X-Api-Key";
    private static readonly object Lax = new { jensenShannon = 1.0, psi = 1e9, alpha = 1e-12, accuracyDrop = 1.0, minLabeledForRealized = 1_000_000 };
    private static readonly object Strict = new { jensenShannon = 1e-6, psi = 1e-6, alpha = 0.5, accuracyDrop = 0.001, minLabeledForRealized = 1 };

    private readonly TestBroker _broker = new();
    private readonly string _adminKey = "key-" + Guid.NewGuid().ToString("N");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _broker.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Without_an_admin_key_configured_admin_operations_answer_401_saying_they_are_disabled()
    {
        await using var silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers);

        using var response = await silo.Api.PostAsync("api/models/fashion-mnist/monitor/reset", null);

        await AssertUnauthorizedAsync(response, "disabled until Api:AdminKey is set");
        Assert.Equal(HttpStatusCode.OK, (await silo.Api.GetAsync("api/models")).StatusCode);
    }

    [Fact]
    public async Task Admin_operations_answer_401_without_or_with_a_wrong_key_and_200_with_it_while_reads_stay_open()
    {
        await using var silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers, new Dictionary<string, string?> { ["Api:AdminKey"] = _adminKey });

        using (var none = await silo.Api.PutAsJsonAsync("api/models/fashion-mnist/thresholds", Lax))
        {
            await AssertUnauthorizedAsync(none, $"send it in the {KeyHeader} header");
        }

        using (var wrong = await SendAsync(silo, HttpMethod.Put, "api/models/fashion-mnist/thresholds", Lax, _adminKey + "x"))
        {
            await AssertUnauthorizedAsync(wrong, "is not the configured Api:AdminKey");
        }

        using (var right = await SendAsync(silo, HttpMethod.Put, "api/models/fashion-mnist/thresholds", Lax, _adminKey))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        using (var reset = await SendAsync(silo, HttpMethod.Post, "api/models/fashion-mnist/monitor/reset", null, _adminKey))
        {
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        }

        using (var invalid = await SendAsync(silo, HttpMethod.Put, "api/models/fashion-mnist/thresholds", new { jensenShannon = 2.0 }, _adminKey))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Contains("JensenShannon", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var read in new[] { "api/models", "api/models/fashion-mnist/labels", "api/models/fashion-mnist/drift", "api/alerts", "api/deadletters", "healthz" })
        {
            Assert.Equal(HttpStatusCode.OK, (await silo.Api.GetAsync(read)).StatusCode);
        }
    }

    [Fact]
    public async Task With_RequireKeyForReads_reads_need_the_key_and_healthz_stays_open()
    {
        await using var silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers, new Dictionary<string, string?>
        {
            ["Api:AdminKey"] = _adminKey,
            ["Api:RequireKeyForReads"] = "true",
        });

        foreach (var read in new[] { "api/models", "api/models/fashion-mnist/labels", "api/models/fashion-mnist/drift", "api/alerts", "api/deadletters" })
        {
            using (var open = await silo.Api.GetAsync(read))
            {
                await AssertUnauthorizedAsync(open, KeyHeader);
            }

            using var keyed = await SendAsync(silo, HttpMethod.Get, read, null, _adminKey);
            Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await silo.Api.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task Thresholds_set_by_an_admin_take_effect_on_the_next_window_and_reset_clears_windows_and_alerts_but_not_counts()
    {
        await using var silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers, new Dictionary<string, string?>
        {
            ["Api:AdminKey"] = _adminKey,
            ["Monitoring:WindowSize"] = "50",
            ["Monitoring:MinWindowCount"] = "50",
            ["Monitoring:RaiseAfterWindows"] = "1",
            ["Monitoring:FeedbackEnabled"] = "false",
        });
        var configured = await silo.GetJsonAsync("api/models/fashion-mnist/drift");
        Assert.Equal("configured", configured.GetProperty("thresholdsSource").GetString());

        (await SendAsync(silo, HttpMethod.Put, "api/models/fashion-mnist/thresholds", Lax, _adminKey)).EnsureSuccessStatusCode();
        await _broker.ProduceFashionMnistAsync(0, 100);
        var lax = await Eventually.ReachAsync(() => silo.GetDriftAsync(), d => d.Windows.Length >= 2, "two windows under lax thresholds");
        Assert.Empty(lax.ActiveAlerts);
        Assert.Equal("admin", lax.ThresholdsSource);
        Assert.Equal(1.0, lax.Thresholds!.JensenShannon);

        (await SendAsync(silo, HttpMethod.Put, "api/models/fashion-mnist/thresholds", Strict, _adminKey)).EnsureSuccessStatusCode();
        var strict = await silo.GetJsonAsync("api/models/fashion-mnist/drift");
        Assert.Equal(1e-6, strict.GetProperty("thresholds").GetProperty("jensenShannon").GetDouble());
        await _broker.ProduceFashionMnistAsync(100, 150);
        var alerted = await Eventually.ReachAsync(() => silo.GetDriftAsync(), d => d.Windows.Length >= 3, "the next window under strict thresholds");
        Assert.Contains(alerted.ActiveAlerts, a => a.Window == alerted.Windows[^1].Window);
        Assert.DoesNotContain(alerted.ActiveAlerts, a => a.Window < alerted.Windows[^1].Window);

        using var reset = await SendAsync(silo, HttpMethod.Post, "api/models/fashion-mnist/monitor/reset", null, _adminKey);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var afterReset = await silo.GetDriftAsync();
        Assert.Empty(afterReset.Windows);
        Assert.Empty(afterReset.ActiveAlerts);
        Assert.Equal(150, afterReset.Predictions);
        Assert.Equal("admin", afterReset.ThresholdsSource);
        Assert.Equal(150, await silo.GetTotalAsync());
    }

    [Fact]
    public async Task Neither_the_admin_key_nor_the_database_password_appears_in_the_logs()
    {
        await TestPostgres.EnsureReachableAsync();
        var logs = new CapturedLogs();
        var table = "security_" + Guid.NewGuid().ToString("N")[..12];
        var silo = await SiloUnderTest.StartAsync(
            _broker.BootstrapServers,
            new Dictionary<string, string?>
            {
                ["Api:AdminKey"] = _adminKey,
                ["Storage:Provider"] = "PostgreSql",
                ["Storage:ConnectionString"] = TestPostgres.ConnectionString,
                ["Storage:TableName"] = table,
                ["Logging:LogLevel:Default"] = "Debug",
            },
            builder => builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using (silo)
        {
            await _broker.ProduceFashionMnistAsync(0, 50);
            await Eventually.ReachAsync(() => silo.GetTotalAsync(), total => total >= 50, "counting");
            (await SendAsync(silo, HttpMethod.Put, "api/models/fashion-mnist/thresholds", Lax, _adminKey)).EnsureSuccessStatusCode();
            await SendAsync(silo, HttpMethod.Post, "api/models/fashion-mnist/monitor/reset", null, "wrong-key");
            await silo.StopAsync();
        }

        var password = new Npgsql.NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString).Password!;
        Assert.True(logs.Lines.Count > 50, $"only {logs.Lines.Count} log lines captured");
        Assert.DoesNotContain(logs.Lines, line => line.Contains(_adminKey, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("Password=", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(logs.Lines, line => line.Contains($"Password={password}", StringComparison.OrdinalIgnoreCase));

        await using var connection = new Npgsql.NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP TABLE IF EXISTS {table}", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(SiloUnderTest silo, HttpMethod method, string path, object? body, string key)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(KeyHeader, key);
        return await silo.Api.SendAsync(request);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string expectedDetail)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains(expectedDetail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(KeyHeader, response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
