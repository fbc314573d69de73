namespace NeuralNets.Benchmarks;

/// <summary>A thread of this process that computes until disposed: the rest of a program that trains on the side.</summary>
internal sealed class BusyThread : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    /// <summary>Starts the thread at normal priority.</summary>
    public BusyThread()
    {
        _thread = new Thread(Spin) { IsBackground = true, Name = "busy neighbour" };
        _thread.Start();
    }

    /// <summary>The value the loop arrives at, so that the JIT cannot drop it.</summary>
    public static long Sink { get; private set; }

    /// <summary>Stops the thread and waits for it.</summary>
    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private void Spin()
    {
        long value = 1;
        while (!_stop)
            for (int i = 0; i < 100_000; i++) value = value * 6364136223846793005 + 1442695040888963407;
        Sink = value;
    }
}
