namespace MLwatch.Streaming.Kafka.Tests.Support;

/// <summary>Polling with a deadline: generous for a loaded 2-core machine, but returns as soon as the condition holds.</summary>
internal static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static async Task UntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not reached within {Timeout.TotalSeconds} s: {describe()}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
