using System.Net;
using System.Net.NetworkInformation;
using MLwatch.Hosting;
using MLwatch.Hosting.Configuration;

namespace MLwatch.IntegrationTests.Cluster;

/// <summary>A silo listens on the address it advertises, so one that is not this machine's is refused at start, saying which.</summary>
public sealed class AdvertisedAddressTests
{
    [Fact]
    public void An_advertised_address_of_another_machine_is_refused_naming_it_and_this_machines_addresses()
    {
        // An address of TEST-NET-2 (RFC 5737, documentation only) that this machine does not have.
        var local = NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToList();
        var foreign = Enumerable.Range(1, 254).Select(i => IPAddress.Parse($"198.51.100.{i}")).First(address => !local.Contains(address));

        var error = Assert.Throws<InvalidOperationException>(() => MLwatchSiloHost.Build(
            MLwatchConfiguration.LocateProfile("cluster"),
            new Dictionary<string, string?> { ["Cluster:AdvertisedIPAddress"] = foreign.ToString() }));

        Assert.Contains($"Cluster:AdvertisedIPAddress {foreign} is not an address of this machine", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("MLWATCH__Cluster__AdvertisedIPAddress", error.Message, StringComparison.Ordinal);
    }
}
