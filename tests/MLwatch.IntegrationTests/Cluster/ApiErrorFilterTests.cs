using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MLwatch.Hosting.Api;
using MLwatch.Hosting.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace MLwatch.IntegrationTests.Cluster;

/// <summary>
/// The /api error handling on its own: what a changing cluster throws becomes 503 problem+json with Retry-After, a read
/// that gets no answer is cut at Api:ReadTimeout, anything else is a 500 problem+json; results pass through untouched.
/// </summary>
public sealed class ApiErrorFilterTests
{
    public static TheoryData<string, Exception> TransientFailures => new()
    {
        { "OrleansMessageRejectionException", Rejection("Target silo S127.0.0.1:11112:1 is dead") },
        { "SiloUnavailableException", new SiloUnavailableException("S127.0.0.1:11112:1 is unavailable") },
        { "TimeoutException", new TimeoutException("Response did not arrive on time in 00:00:30") },
        { "ConnectionFailedException", new ConnectionFailedException("Unable to connect to 127.0.0.1:11112") },
        { "SiloUnavailableException", new AggregateException(new SiloUnavailableException("wrapped by a grain")) },
        { "OrleansMessageRejectionException", new InvalidOperationException("a grain wrapped it", Rejection("rejected")) },
    };

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public async Task Transient_cluster_errors_answer_503_problem_json_with_retry_after(string name, Exception failure)
    {
        var response = await InvokeAsync("GET", _ => throw failure);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, response.Status);
        Assert.Equal(ApiErrorFilter.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), response.RetryAfter);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal("The cluster is changing", response.Problem.GetProperty("title").GetString());
        Assert.True(response.Problem.GetProperty("transient").GetBoolean());
        var detail = response.Problem.GetProperty("detail").GetString()!;
        Assert.StartsWith("GET /api/models/fashion-mnist/labels failed: ", detail, StringComparison.Ordinal);
        Assert.Contains(name, detail, StringComparison.Ordinal);
        Assert.EndsWith("This is transient: retry after 5 s.", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_that_gets_no_answer_is_cut_at_the_read_timeout_with_a_503()
    {
        var never = new TaskCompletionSource<object?>();

        var response = await InvokeAsync("GET", _ => new ValueTask<object?>(never.Task), readTimeout: TimeSpan.FromMilliseconds(200));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, response.Status);
        Assert.Equal("5", response.RetryAfter);
        Assert.Contains("no answer from the cluster within 0.2 s (Api:ReadTimeout)", response.Problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transient_failure_of_an_admin_operation_says_whether_repeating_is_safe_and_a_slow_one_is_not_cut()
    {
        var rejected = await InvokeAsync("PUT", _ => throw new SiloUnavailableException("gone"));
        var slow = await InvokeAsync("PUT", async _ =>
        {
            await Task.Delay(400);
            return Results.Ok(new { applied = true });
        }, readTimeout: TimeSpan.FromMilliseconds(100));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, rejected.Status);
        Assert.EndsWith("The operation may or may not have been applied; repeating it is safe.", rejected.Problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status200OK, slow.Status);
        Assert.True(slow.Problem.GetProperty("applied").GetBoolean());
    }

    [Fact]
    public async Task Unexpected_exceptions_answer_500_problem_json_naming_the_trace_id_without_retry_after()
    {
        var response = await InvokeAsync("GET", _ => throw new InvalidOperationException("a bug, with internals that stay in the log"));

        Assert.Equal(StatusCodes.Status500InternalServerError, response.Status);
        Assert.Null(response.RetryAfter);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.False(response.Problem.GetProperty("transient").GetBoolean());
        var detail = response.Problem.GetProperty("detail").GetString()!;
        Assert.Contains("unexpected InvalidOperationException", detail, StringComparison.Ordinal);
        Assert.Contains($"trace id {response.TraceId}", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("internals", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_pass_through_untouched()
    {
        var response = await InvokeAsync("GET", async _ =>
        {
            await Task.Yield();
            return Results.Ok(new { total = 42 });
        });

        Assert.Equal(StatusCodes.Status200OK, response.Status);
        Assert.Null(response.RetryAfter);
        Assert.Equal(42, response.Problem.GetProperty("total").GetInt32());
    }

    private static async Task<Answer> InvokeAsync(string method, EndpointFilterDelegate handler, TimeSpan? readTimeout = null)
    {
        var filter = new ApiErrorFilter(Options.Create(new ApiOptions { ReadTimeout = readTimeout ?? TimeSpan.FromSeconds(5) }), NullLogger<ApiErrorFilter>.Instance);
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(), TraceIdentifier = "trace-1" };
        http.Request.Method = method;
        http.Request.Path = "/api/models/fashion-mnist/labels";
        http.Response.Body = new MemoryStream();

        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), handler);
        await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(http);

        http.Response.Body.Position = 0;
        var body = await JsonDocument.ParseAsync(http.Response.Body);
        return new Answer(
            http.Response.StatusCode,
            http.Response.Headers.RetryAfter.Count == 0 ? null : http.Response.Headers.RetryAfter.ToString(),
            http.Response.ContentType?.Split(';')[0],
            body.RootElement,
            http.TraceIdentifier);
    }

    // Orleans creates message rejections itself: their constructors are internal.
    private static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(typeof(OrleansMessageRejectionException), BindingFlags.NonPublic | BindingFlags.Instance, null, [message, null], null)!;

    private sealed record Answer(int Status, string? RetryAfter, string? ContentType, JsonElement Problem, string TraceId);
}
