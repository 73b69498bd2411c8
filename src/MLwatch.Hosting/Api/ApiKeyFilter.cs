using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using MLwatch.Hosting.Configuration;

namespace MLwatch.Hosting.Api;

/// <summary>
/// Lets a request through only with the configured key in <see cref="ApiOptions.KeyHeader"/> (compared in constant time);
/// otherwise answers 401 with a problem+json body saying what to send. Neither key is ever logged.
/// </summary>
internal sealed class ApiKeyFilter(IOptions<ApiOptions> options, bool forReads) : IEndpointFilter
{
    private readonly byte[]? _expectedHash = options.Value.AdminKey is { Length: > 0 } key ? Hash(key) : null;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (forReads && !options.Value.RequireKeyForReads)
        {
            return await next(context);
        }

        var what = forReads ? "Reading the API (Api:RequireKeyForReads is true)" : "Admin operations";
        if (_expectedHash is null)
        {
            return Unauthorized(context.HttpContext,
                $"{what} are disabled until Api:AdminKey is set (environment variable MLWATCH__Api__AdminKey); then send it in the {ApiOptions.KeyHeader} header.");
        }

        var sent = context.HttpContext.Request.Headers[ApiOptions.KeyHeader].ToString();
        if (sent.Length == 0)
        {
            return Unauthorized(context.HttpContext, $"{what} need the API key: send it in the {ApiOptions.KeyHeader} header.");
        }

        // Hashing first makes the comparison constant-time whatever the lengths.
        if (!CryptographicOperations.FixedTimeEquals(Hash(sent), _expectedHash))
        {
            return Unauthorized(context.HttpContext, $"The key sent in the {ApiOptions.KeyHeader} header is not the configured Api:AdminKey.");
        }

        return await next(context);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiOptions.KeyHeader}\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required", detail: detail);
    }
}
