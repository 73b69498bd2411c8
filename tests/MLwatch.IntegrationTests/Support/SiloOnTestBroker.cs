namespace MLwatch.IntegrationTests.Support;

/// <summary>A test class's own broker and silo: started before each test, stopped after it.</summary>
public abstract class SiloOnTestBroker : IAsyncLifetime
{
    private protected TestBroker Broker { get; } = new();

    private protected SiloUnderTest Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await SiloUnderTest.StartAsync(Broker.BootstrapServers);

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        Broker.Dispose();
    }
}
