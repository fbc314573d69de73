namespace NeuralNets.Tests.Threading;

/// <summary>Work spread over several threads that all start at once, for the tests of concurrent use.</summary>
internal static class ManyThreads
{
    /// <summary>
    /// Runs <paramref name="work"/> for every index below <paramref name="count"/> on <paramref name="threads"/> threads that
    /// start together and take the indices in turn; a failure on any thread is rethrown here, once all have stopped.
    /// </summary>
    public static void Run(int threads, int count, Action<int> work)
    {
        using var start = new Barrier(threads);
        int next = -1;
        Exception? failure = null;
        var started = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count) work(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        })).ToArray();
        foreach (var thread in started) thread.Start();
        foreach (var thread in started) thread.Join();
        if (failure is not null) throw new InvalidOperationException("a thread failed", failure);
    }
}
