using System.Diagnostics;

namespace MLwatch.IntegrationTests.Support;

/// <summary>Runs the built `mlwatch` command as its own process, from the repository root, as a user would.</summary>
internal static class MlwatchProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var modelsRoot = Path.GetDirectoryName(FashionMnistImages.ModelDirectory)!;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "mlwatch.dll"), .. arguments])
        {
            WorkingDirectory = Path.GetDirectoryName(modelsRoot)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mlwatch {string.Join(' ', arguments)} did not exit within {timeout ?? TimeSpan.FromMinutes(5)}; stderr: {await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
