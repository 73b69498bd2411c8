using System.Diagnostics;
using System.Net.Sockets;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// A long-running child process (a broker, Redis, a silo) whose output goes to a log file; <see cref="Kill"/> sends
/// SIGKILL, as a crash would, <see cref="Freeze"/> and <see cref="Thaw"/> SIGSTOP and SIGCONT, as a hung host would.
/// Disposing kills it too (a frozen one as well), so a failing test leaves nothing running.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];

    private ChildProcess(Process process, string logPath, StreamWriter log)
    {
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    /// <summary>Where stdout and stderr are written, for the post-mortem of a failed test.</summary>
    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> from <paramref name="workingDirectory"/>, logging to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string fileName, IReadOnlyList<string> arguments, string logPath, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"# {DateTime.UtcNow:O} {fileName} {string.Join(' ', arguments)}");
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process, logPath, log);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Starts the built `mlwatch` command (from the repository root, as a user would).</summary>
    public static ChildProcess StartMlwatch(IReadOnlyList<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "mlwatch.dll"), .. arguments], logPath, RepositoryRoot, environment);

    /// <summary>The checkout (the parent of models/).</summary>
    public static string RepositoryRoot => Path.GetDirectoryName(Path.GetDirectoryName(FashionMnistImages.ModelDirectory)!)!;

    /// <summary>Waits until a line of output contains <paramref name="text"/> and returns it.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (_lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Process {_process.StartInfo.Arguments} exited ({_process.ExitCode}) before printing '{text}'; see {LogPath}.");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Process {_process.StartInfo.Arguments} did not print '{text}' within {timeout}; see {LogPath}.");
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>SIGSTOP: every thread stops where it is; sockets stay open, so peers see silence, not a closed connection.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT: a frozen process runs on from where it stopped.</summary>
    public void Thaw() => Signal("CONT");

    /// <summary>Waits until the process exits on its own; false if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, no commit.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Id} failed ({kill.ExitCode}): {kill.StandardError.ReadToEnd()}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            if (_lines.Count > 2000)
            {
                _lines.RemoveRange(0, 1000);
            }

            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
