using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// A private LAN of hosts built for one test from Linux network namespaces: each host is a namespace with its own
/// loopback, port space and one address on a /24, linked by a veth pair to a bridge (the switch). The root namespace
/// joins the LAN at .1 as the operator's machine, so the test reaches every host's address directly. Hosts reach each
/// other only through their LAN addresses, and each can listen on the same standard ports, as separate machines would.
/// </summary>
/// <remarks>
/// The bridge lives in a namespace of its own, not in the root one: with br_netfilter loaded, bridged frames pass the
/// bridge namespace's iptables, and a host firewall (Docker's FORWARD policy DROP) would silently drop the LAN's
/// traffic. Every name carries the creating process id ("mlw{pid:x6}{random:x2}"): parallel runs never collide, and a
/// run removes what a killed run left behind (its processes, namespaces and link) before it builds its own. The subnet
/// (10.200–249.x.0/24) is chosen at random among those no route or address of the root namespace overlaps. Needs root.
/// </remarks>
internal sealed partial class NamespaceNetwork : IDisposable
{
    private const string Prefix = "mlw";
    private const int PrefixLength = 24;
    private readonly string _tag;
    private readonly byte[] _subnet;
    private readonly List<NamespaceHost> _hosts = [];
    private readonly List<string> _namespaces = [];

    private NamespaceNetwork(string tag, byte[] subnet, string logDirectory)
    {
        _tag = tag;
        _subnet = subnet;
        LogDirectory = logDirectory;
    }

    /// <summary>Where the hosts' processes write their logs.</summary>
    public string LogDirectory { get; }

    /// <summary>The LAN, e.g. 10.217.4.0/24.</summary>
    public string Subnet => $"{AddressAt(0)}/{PrefixLength}";

    /// <summary>The root namespace's address on the LAN (the test process, as the operator's machine).</summary>
    public IPAddress RootAddress => AddressAt(1);

    public IReadOnlyList<NamespaceHost> Hosts => _hosts;

    private string SwitchNamespace => $"{_tag}-switch";

    /// <summary>Builds the LAN with one host per name (at .2, .3, …, in order); names are short words such as "infra" or "s1".</summary>
    public static NamespaceNetwork Create(IReadOnlyList<string> hostNames, string logDirectory)
    {
        SystemCommand.Require("ip", "iproute2");
        RemoveLeftovers();
        var network = new NamespaceNetwork(
            $"{Prefix}{Environment.ProcessId:x6}{Random.Shared.Next(256):x2}",
            ChooseSubnet(),
            logDirectory);
        try
        {
            network.Build(hostNames);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return network;
    }

    /// <summary>The host called <paramref name="name"/>.</summary>
    public NamespaceHost this[string name] => _hosts.Single(h => h.Name == name);

    /// <summary>Kills every process still inside the hosts and removes the namespaces and links; never throws.</summary>
    public void Dispose()
    {
        foreach (var name in Enumerable.Reverse(_namespaces))
        {
            RemoveNamespace(name);
        }

        // The root end of the switch link goes with the switch namespace; this only matters if that removal failed.
        if (LinkExists(_tag))
        {
            SystemCommand.TryRun("ip", "link", "del", _tag);
        }
    }

    private void Build(IReadOnlyList<string> hostNames)
    {
        AddNamespace(SwitchNamespace);
        Ip("-n", SwitchNamespace, "link", "add", "lan", "type", "bridge");
        Ip("-n", SwitchNamespace, "link", "set", "lan", "up");

        Ip("link", "add", _tag, "type", "veth", "peer", "name", "root", "netns", SwitchNamespace);
        Ip("-n", SwitchNamespace, "link", "set", "root", "master", "lan", "up");
        Ip("addr", "add", $"{RootAddress}/{PrefixLength}", "dev", _tag);
        Ip("link", "set", _tag, "up");

        for (var i = 0; i < hostNames.Count; i++)
        {
            var name = hostNames[i];
            var space = $"{_tag}-{name}";
            var address = AddressAt(2 + i);
            AddNamespace(space);
            Ip("-n", space, "link", "set", "lo", "up");
            // Both ends are created inside their namespaces: only the namespaces' own names need to be unique.
            Ip("link", "add", "eth0", "netns", space, "type", "veth", "peer", "name", name, "netns", SwitchNamespace);
            Ip("-n", SwitchNamespace, "link", "set", name, "master", "lan", "up");
            Ip("-n", space, "addr", "add", $"{address}/{PrefixLength}", "dev", "eth0");
            Ip("-n", space, "link", "set", "eth0", "up");
            _hosts.Add(new NamespaceHost(name, space, address, SwitchNamespace, LogDirectory));
        }
    }

    private void AddNamespace(string name)
    {
        try
        {
            Ip("netns", "add", name);
        }
        catch (InvalidOperationException exception) when (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"Creating network namespace {name} failed: the network-namespace tests need root (CAP_SYS_ADMIN, CAP_NET_ADMIN); run the test command (eng/test.sh) as root.", exception);
        }

        _namespaces.Add(name);
    }

    private IPAddress AddressAt(int host) => new([_subnet[0], _subnet[1], _subnet[2], (byte)host]);

    private static void Ip(params string[] arguments) => SystemCommand.Run("ip", arguments);

    /// <summary>A 10.200–249.x.0/24 that no address or route of the root namespace overlaps.</summary>
    private static byte[] ChooseSubnet()
    {
        var taken = SystemCommand.Run("ip", "-o", "-4", "addr", "show").Split('\n')
            .Select(line => InetPattern().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .Concat(SystemCommand.Run("ip", "-4", "route", "show").Split('\n').Select(line => line.Split(' ')[0]).Where(destination => destination.Length > 0 && destination != "default"))
            .Select(ParseNetwork)
            .ToList();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            byte[] subnet = [10, (byte)Random.Shared.Next(200, 250), (byte)Random.Shared.Next(256)];
            var candidate = ParseNetwork($"{subnet[0]}.{subnet[1]}.{subnet[2]}.0/{PrefixLength}");
            if (!taken.Any(network => Overlap(network, candidate)))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException("No free 10.200–249.x.0/24 subnet for the test LAN: every one overlaps an address or route of this machine.");
    }

    /// <summary>"10.1.2.3/16" or "10.1.2.3" as (first address, prefix length); the host bits of an interface address are kept.</summary>
    private static (uint Address, int Length) ParseNetwork(string cidr)
    {
        var parts = cidr.Split('/');
        var bytes = IPAddress.Parse(parts[0]).GetAddressBytes();
        return ((uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3], parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 32);
    }

    private static bool Overlap((uint Address, int Length) a, (uint Address, int Length) b)
    {
        var length = Math.Min(a.Length, b.Length);
        var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
        return (a.Address & mask) == (b.Address & mask);
    }

    /// <summary>Removes the namespaces and links of runs whose process is gone (a test host killed mid-test).</summary>
    private static void RemoveLeftovers()
    {
        foreach (var line in SystemCommand.Run("ip", "netns", "list").Split('\n'))
        {
            var match = LeftoverPattern().Match(line);
            if (match.Success && !IsAlive(match.Groups[1].Value))
            {
                RemoveNamespace(match.Value);
            }
        }

        foreach (var line in SystemCommand.Run("ip", "-o", "link", "show").Split('\n'))
        {
            var match = LeftoverLinkPattern().Match(line);
            if (match.Success && !IsAlive(match.Groups[2].Value))
            {
                SystemCommand.TryRun("ip", "link", "del", match.Groups[1].Value);
            }
        }
    }

    private static bool IsAlive(string hexProcessId) => Directory.Exists($"/proc/{int.Parse(hexProcessId, NumberStyles.HexNumber, CultureInfo.InvariantCulture)}");

    /// <summary>SIGKILLs every process inside <paramref name="name"/> (all started there by a test), then deletes it.</summary>
    private static void RemoveNamespace(string name)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var pids = ProcessesIn(name);
            if (pids.Count == 0)
            {
                break;
            }

            foreach (var pid in pids)
            {
                SystemCommand.TryRun("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
            }

            Thread.Sleep(200);
        }

        SystemCommand.TryRun("ip", "netns", "del", name);
    }

    private static List<int> ProcessesIn(string name)
    {
        try
        {
            return [.. SystemCommand.Run("ip", "netns", "pids", name).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }

    private static bool LinkExists(string name) => SystemCommand.TryRun("ip", "link", "show", name);

    [GeneratedRegex(@"\binet (\S+)")]
    private static partial Regex InetPattern();

    [GeneratedRegex($@"^{Prefix}([0-9a-f]{{6}})[0-9a-f]{{2}}-[a-z0-9]+")]
    private static partial Regex LeftoverPattern();

    [GeneratedRegex($@"^\d+: ({Prefix}([0-9a-f]{{6}})[0-9a-f]{{2}})[@:]")]
    private static partial Regex LeftoverLinkPattern();
}
