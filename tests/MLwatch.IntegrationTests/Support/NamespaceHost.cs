using System.Globalization;
using System.Net;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// One host of a <see cref="NamespaceNetwork"/>: a network namespace with its own loopback and one LAN address. Processes
/// started here (`ip netns exec`, which execs the command itself, so a <see cref="ChildProcess"/> is the real process)
/// see only this host's network. <see cref="Disconnect"/> pulls its cable at the switch: its address becomes
/// unreachable — packets to it vanish, nothing answers, not even a refusal — as when a machine loses power.
/// </summary>
internal sealed class NamespaceHost(string name, string networkNamespace, IPAddress address, string switchNamespace, string logDirectory)
{
    /// <summary>The host's short name ("infra", "s1"), also its port name on the switch.</summary>
    public string Name { get; } = name;

    /// <summary>The network namespace, for `ip netns exec`.</summary>
    public string Namespace { get; } = networkNamespace;

    /// <summary>The host's LAN address.</summary>
    public IPAddress Address { get; } = address;

    /// <summary>Starts <paramref name="fileName"/> on this host, logging to <paramref name="logName"/> in the test's log directory.</summary>
    public ChildProcess Start(string fileName, IReadOnlyList<string> arguments, string logName, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.Start("ip", ["netns", "exec", Namespace, fileName, .. arguments], Path.Combine(logDirectory, logName), ChildProcess.RepositoryRoot, environment);

    /// <summary>Starts the built `mlwatch` command on this host (from the repository root, as a user would).</summary>
    public ChildProcess StartMlwatch(IReadOnlyList<string> arguments, string logName, IReadOnlyDictionary<string, string>? environment = null) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "mlwatch.dll"), .. arguments], logName, environment);

    /// <summary>
    /// Starts socat listening on <paramref name="listen"/>:<paramref name="port"/> of this host and relaying each
    /// connection to <paramref name="target"/>:<paramref name="port"/>; returns once it listens.
    /// </summary>
    public async Task<ChildProcess> StartForwarderAsync(IPAddress listen, int port, IPAddress target)
    {
        SystemCommand.Require("socat", "socat");
        var text = port.ToString(CultureInfo.InvariantCulture);
        var forwarder = Start(
            "socat",
            // -d -d prints "listening on …" once bound; nodelay, since Kafka requests are small and answered one by one.
            ["-d", "-d", $"TCP-LISTEN:{text},bind={listen},reuseaddr,fork,nodelay", $"TCP:{target}:{text},nodelay"],
            $"forward-{Name}-{listen}-{text}.log");
        await forwarder.WaitForLineAsync("listening on", TimeSpan.FromSeconds(30));
        return forwarder;
    }

    /// <summary>Takes the host's link down at the switch: its address stops answering anything.</summary>
    public void Disconnect() => SystemCommand.Run("ip", "-n", switchNamespace, "link", "set", Name, "down");

    /// <summary>Puts the host's link back up.</summary>
    public void Reconnect() => SystemCommand.Run("ip", "-n", switchNamespace, "link", "set", Name, "up");

    public override string ToString() => $"{Name} ({Address})";
}
