using System.Diagnostics;

namespace MLwatch.IntegrationTests.Support;

/// <summary>Short system commands (ip, setpriv, initdb) run to completion; a failure throws with the command and what it printed.</summary>
internal static class SystemCommand
{
    /// <summary>Runs <paramref name="fileName"/> and returns its stdout; throws when it exits with anything but 0.</summary>
    public static string Run(string fileName, params string[] arguments)
    {
        var (exitCode, output, error) = Execute(fileName, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`{fileName} {string.Join(' ', arguments)}` failed with exit code {exitCode}: {error.Trim()}{output.Trim()}");
        }

        return output;
    }

    /// <summary>Runs <paramref name="fileName"/> for cleanup: whether it succeeded, never an exception.</summary>
    public static bool TryRun(string fileName, params string[] arguments)
    {
        try
        {
            return Execute(fileName, arguments).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Throws, saying how to install it, when <paramref name="command"/> is not on the PATH.</summary>
    public static void Require(string command, string package)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin";
        if (!path.Split(':').Any(directory => File.Exists(Path.Combine(directory, command))))
        {
            throw new InvalidOperationException($"{command} was not found. Run the test command (eng/test.sh), which installs it, or `apt-get install -y {package}`.");
        }
    }

    private static (int ExitCode, string Output, string Error) Execute(string fileName, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }
}
