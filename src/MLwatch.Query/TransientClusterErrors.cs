using Orleans.Networking.Shared;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace MLwatch.Query;

/// <summary>
/// Which failures of a read mean "the cluster is changing, try again" rather than a bug: what Orleans throws while a
/// silo dies, hangs or is being declared dead (the grain read lands on it, its connection breaks, a message is
/// rejected), and a read that gets no answer in time. The API answers them with 503 and Retry-After, the dashboard
/// with a banner over the last values it read.
/// </summary>
public static class TransientClusterErrors
{
    /// <summary>Whether <paramref name="exception"/> (or an exception it wraps) is transient.</summary>
    public static bool IsTransient(Exception exception) => FindTransient(exception) is not null;

    /// <summary>
    /// What happened, for a person: "a silo is unavailable (SiloUnavailableException: …)". Null when
    /// <paramref name="exception"/> is not transient.
    /// </summary>
    public static string? Describe(Exception exception) => FindTransient(exception) switch
    {
        null => null,
        SiloUnavailableException e => $"the silo that holds the data is unavailable; it stopped or is being declared dead ({Name(e)})",
        OrleansMessageRejectionException e => $"a silo rejected the request while membership changes ({Name(e)})",
        ReadTimeoutException e => e.Message,
        TimeoutException e => $"a silo did not answer in time; it may be hung or overloaded ({Name(e)})",
        GatewayTooBusyException e => $"the silo gateway is too busy ({Name(e)})",
        var e => $"a connection to a silo failed ({Name(e)})",
    };

    private static Exception? FindTransient(Exception exception)
    {
        // Orleans rethrows remote failures as they were, but a grain may wrap one (AggregateException, an inner exception).
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(FindTransient).FirstOrDefault(e => e is not null);
            }

            if (current is OrleansMessageRejectionException or TimeoutException or ConnectionFailedException or SocketConnectionException or GatewayTooBusyException)
            {
                return current;
            }
        }

        return null;
    }

    private static string Name(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";
}
