namespace MLwatch.IntegrationTests.Support;

/// <summary>Polls a condition until it holds; fails with what was last seen when it stops making progress.</summary>
internal static class Eventually
{
    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/> holds. Gives up when the probed value has not changed
    /// for <paramref name="stallLimit"/> (default 60 s), so slow machines pass and stuck pipelines fail fast.
    /// </summary>
    public static async Task<T> ReachAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? stallLimit = null)
    {
        var limit = stallLimit ?? TimeSpan.FromSeconds(60);
        var last = await probe();
        var lastChange = DateTime.UtcNow;
        while (!done(last))
        {
            if (DateTime.UtcNow - lastChange > limit)
            {
                throw new TimeoutException($"{what}: no progress for {limit.TotalSeconds:F0} s; last value {last}.");
            }

            await Task.Delay(200);
            var next = await probe();
            if (!EqualityComparer<T>.Default.Equals(next, last))
            {
                lastChange = DateTime.UtcNow;
            }

            last = next;
        }

        return last;
    }
}
