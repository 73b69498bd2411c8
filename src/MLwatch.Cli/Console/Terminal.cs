using Spectre.Console;

namespace MLwatch.Cli.Console;

/// <summary>Where human-readable output goes: stdout normally, stderr when stdout is reserved for JSON.</summary>
public static class Terminal
{
    /// <summary>A console for people; on stderr when <paramref name="stdoutIsJson"/>.</summary>
    public static IAnsiConsole ForHumans(bool stdoutIsJson) => stdoutIsJson
        ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) })
        : AnsiConsole.Console;
}
