using System.Numerics;

namespace NeuralNets.Kernels;

/// <summary>
/// Runs one packed product on the calling thread plus up to <c>threads − 1</c> .NET thread-pool
/// workers, without allocating: the job object is reused per calling thread, the workers join
/// through a single state word, and the caller does work itself instead of waiting for workers
/// that have not started (it closes the door on them when the chunks run out).
/// </summary>
/// <remarks>
/// The per-thread cached job is a pool, like <c>ArrayPool.Shared</c>: it holds no result and no
/// setting, so it cannot make one call depend on another.
/// </remarks>
internal sealed class GemmJob<T> : IThreadPoolWorkItem where T : unmanaged, IFloatingPointIeee754<T>
{
    // State word: (open seats << 16) | workers inside.
    private const int SeatUnit = 1 << 16;
    private const int InsideMask = SeatUnit - 1;

    [ThreadStatic]
    private static GemmJob<T>? t_cached;

    private readonly ManualResetEventSlim _allLeft = new(false);
    private GemmProblem<T> _problem;
    private int _nextChunk;
    private int _state;

    /// <summary>Computes <paramref name="problem"/> on up to <paramref name="threads"/> threads.</summary>
    public static void Run(in GemmProblem<T> problem, int threads)
    {
        int helpers = Math.Min(threads, problem.ChunkCount) - 1;
        if (helpers <= 0)
        {
            int next = 0;
            GemmPacked.RunChunks(problem, ref next);
            return;
        }

        // Taken out of the cache while in use, so a nested call on this thread gets its own.
        var job = t_cached ?? new GemmJob<T>();
        t_cached = null;
        job._problem = problem;
        job._nextChunk = 0;
        Interlocked.Exchange(ref job._state, helpers * SeatUnit);
        for (int h = 0; h < helpers; h++) ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);

        GemmPacked.RunChunks(job._problem, ref job._nextChunk);

        // Close the remaining seats; wait only for workers already inside.
        int state = Volatile.Read(ref job._state);
        while (true)
        {
            int seen = Interlocked.CompareExchange(ref job._state, state & InsideMask, state);
            if (seen == state) break;
            state = seen;
        }
        // Trust only the count: the event may still carry a Set from a worker of an earlier call that
        // decremented before that call ended but signalled only after this one began.
        while (Volatile.Read(ref job._state) != 0)
        {
            job._allLeft.Wait();
            job._allLeft.Reset();
        }
        job._problem = default;
        t_cached = job;
    }

    /// <summary>A worker's turn: take a seat if one is open, compute chunks, leave.</summary>
    public void Execute()
    {
        int state = Volatile.Read(ref _state);
        while (true)
        {
            if (state < SeatUnit) return; // no seat: the caller finished without us (or this is a stale item)
            int seen = Interlocked.CompareExchange(ref _state, state - SeatUnit + 1, state);
            if (seen == state) break;
            state = seen;
        }
        GemmPacked.RunChunks(_problem, ref _nextChunk);
        if (Interlocked.Decrement(ref _state) == 0) _allLeft.Set();
    }
}
