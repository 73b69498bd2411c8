using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Hosting.Configuration;
using MLwatch.Query;

namespace MLwatch.Hosting.Api;

/// <summary>
/// Error handling of every /api route. A GET waits for the grains it reads at most <see cref="ApiOptions.ReadTimeout"/>.
/// What a changing cluster throws (a silo dying, hung or being declared dead: <see cref="TransientClusterErrors"/>), and
/// a read that timed out, become 503 problem+json with Retry-After and a detail saying what happened and that it is
/// transient; anything else becomes a 500 problem+json naming the trace id under which the stack was logged. Never an
/// HTML page or an empty body.
/// </summary>
internal sealed partial class ApiErrorFilter(IOptions<ApiOptions> options, ILogger<ApiErrorFilter> logger) : IEndpointFilter
{
    /// <summary>
    /// What a 503 asks clients to wait. Membership settles within seconds of a change (a dead silo's grains are then
    /// re-activated on the others by the next read), and a hung silo is declared dead 9–12 s after it froze, so a
    /// client retrying every 5 s reads again within one or two tries.
    /// </summary>
    internal const int RetryAfterSeconds = 5;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var isRead = HttpMethods.IsGet(http.Request.Method);
        try
        {
            var handling = next(context);
            if (!isRead || handling.IsCompletedSuccessfully)
            {
                return await handling;
            }

            return await BoundedReads.WithinAsync(handling.AsTask(), options.Value.ReadTimeout, "Api:ReadTimeout", http.RequestAborted);
        }
        catch (Exception exception) when (TransientClusterErrors.Describe(exception) is { } what)
        {
            LogTransient(logger, http.Request.Method, http.Request.Path, what);
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            var outcome = isRead ? "" : " The operation may or may not have been applied; repeating it is safe.";
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The cluster is changing",
                detail: $"{http.Request.Method} {http.Request.Path} failed: {what}. This is transient: retry after {RetryAfterSeconds} s.{outcome}",
                extensions: new Dictionary<string, object?> { ["transient"] = true });
        }
        catch (Exception exception) when (!http.RequestAborted.IsCancellationRequested)
        {
            LogUnexpected(logger, exception, http.Request.Method, http.Request.Path, http.TraceIdentifier);
            return Results.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "Unexpected error",
                detail: $"{http.Request.Method} {http.Request.Path} failed with an unexpected {exception.GetType().Name}. The silo logged its stack under trace id {http.TraceIdentifier}; please report it.",
                extensions: new Dictionary<string, object?> { ["traceId"] = http.TraceIdentifier, ["transient"] = false });
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered 503 to {Method} {Path}: {What}")]
    private static partial void LogTransient(ILogger logger, string method, PathString path, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly (trace id {TraceId}); answered 500")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path, string traceId);
}

/// <summary>Puts <see cref="ApiErrorFilter"/> on a route group.</summary>
internal static class ApiErrorHandling
{
    /// <summary>Bounds the group's reads and turns its exceptions into problem+json (503 when transient, else 500).</summary>
    public static RouteGroupBuilder WithApiErrorHandling(this RouteGroupBuilder group) => group.AddEndpointFilter<RouteGroupBuilder, ApiErrorFilter>();
}
