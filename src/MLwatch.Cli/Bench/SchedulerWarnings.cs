using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MLwatch.Cli.Bench;

/// <summary>
/// Catches the warnings that say the silo's scheduler was starved during a benchmark: Orleans' "took elapsed time …
/// longer than" for long grain turns, and thread-pool stalls and degraded local health. A benchmark run must have none.
/// </summary>
public sealed class SchedulerWarnings : ILoggerProvider
{
    private static readonly string[] Signs = ["took elapsed time", "Thread Pool", "thread pool", "local health"];
    private readonly ConcurrentQueue<string> _seen = new();

    /// <summary>The warnings caught so far.</summary>
    public IReadOnlyList<string> Seen => [.. _seen];

    public ILogger CreateLogger(string categoryName) => new Catcher(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Catcher(SchedulerWarnings owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (Signs.Any(sign => message.Contains(sign, StringComparison.Ordinal)))
            {
                owner._seen.Enqueue($"{category}: {message}");
            }
        }
    }
}
