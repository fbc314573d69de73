using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Compiles, on a thread of its own, the code a first training step or prediction will run: the matrix-product kernels
/// when the first dataset or network of an element type is made, and each library layer, loss and optimizer type's
/// passes when the first one is made. The caller's first step then finds them compiled, or compiles the rest while they are.
/// </summary>
/// <remarks>
/// <para>The passes are compiled fully optimised at their first call (<see cref="HotPath"/>), and compiling them was most
/// of a process's first training step (benchmarks/README.md, "The first call"). Each warm-up runs the type's passes once
/// on a few numbers, on private objects (never the caller's network, loss or optimizer) and on this thread only (below
/// every split threshold, never on the team), with the kernel width and numeric family the caller will use: the same
/// methods, compiled once for both threads. A method the two threads reach at once is compiled by one while the other
/// waits.</para>
/// <para>The warm-ups run one after another on one thread, which exists only while there are warm-ups to run, so at most
/// one core besides the caller's is busy with them (a caller blocked in <see cref="Wait(TimeSpan)"/> without a timeout runs
/// some on its own thread meanwhile). While it runs, jobs are split across one thread fewer
/// (<see cref="WorkerTeam.Threads"/>): a helper sharing a core with the compiler made every hand-over wait for the
/// scheduler, and the first second of training ran at a quarter of its speed. Once a training step or a prediction has
/// finished, the warm-ups not yet started are dropped (<see cref="PassFinished"/>): the caller has compiled what it
/// needed by then. Nothing is done where there is no second core, no thread can be started, or no code is compiled at
/// run time (a Native AOT application is compiled whole before it starts). A warm-up that fails
/// costs only the time it meant to save: the code then compiles at its first real call, where any real fault shows
/// (tests run the rehearsals themselves).</para>
/// </remarks>
internal static class KernelWarmUp
{
    private static readonly object Gate = new();
    private static readonly LinkedList<Action> Pending = new();
    private static readonly HashSet<object> Queued = [];
    private static volatile bool s_running;   // written under Gate; read without it (every split reads it)
    private static int s_helpers;              // callers of Wait running a queued warm-up themselves; under Gate

    /// <summary>Whether warm-ups run at all: code compiled at run time, a second core, and threads to start.</summary>
    public static bool Enabled => RuntimeFeature.IsDynamicCodeCompiled && WorkerTeam.DefaultSize >= 2 && !WorkerTeam.ThreadsUnavailable;

    /// <summary>Whether a warm-up is queued or running: jobs leave its core to it (<see cref="WorkerTeam.Threads"/>), and the split calibration waits for it.</summary>
    public static bool Running => s_running || Volatile.Read(ref s_helpers) > 0;

    [ThreadStatic]
    private static bool t_onWarmUpThread;

    private static class StartedFor<T>
    {
        public static int Flag;
    }

    /// <summary>Whether the calling thread is the warm-up's: its passes never split (<see cref="WorkerTeam.Threads"/>), so it never uses the team.</summary>
    public static bool OnWarmUpThread => t_onWarmUpThread;

    /// <summary>Queues the product kernels of <typeparamref name="T"/> once per process (the first dataset or network of the type).</summary>
    public static void Start<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Interlocked.Exchange(ref StartedFor<T>.Flag, 1) != 0) return;   // every dataset and network calls it
        // One product a warm-up, so that a pass finishing first (PassFinished) drops the rest sooner.
        if (GemmPacked.Supports<T>())
            for (int kind = 0; kind < ProductKinds; kind++)
            {
                int product = kind;
                Enqueue((typeof(T), nameof(RunProduct), product), () => RunProduct<T>(product));
            }
        // The team's hand-over code, and the split calibration the first long elementwise pass runs.
        Enqueue(typeof(WorkerTeam), static () =>
        {
            PrepareHotPaths(typeof(WorkerTeam));
            PrepareHotPaths(typeof(UnitsWork));
            SplitCalibration.Rehearse();
        });
    }

    /// <summary>Queues <paramref name="warm"/> unless a warm-up under <paramref name="key"/> was queued before.</summary>
    public static void Enqueue(object key, Action warm)
    {
        if (!Enabled) return;
        lock (Gate)
        {
            if (!Queued.Add(key)) return;
            Pending.AddLast(warm);
            // A caller waiting without end takes queued warm-ups too (Wait): wake it for this one.
            Monitor.PulseAll(Gate);
            if (s_running) return;
            s_running = true;
        }
        try
        {
            new Thread(Drain) { IsBackground = true, Name = "NeuralNets warm-up" }.Start();
        }
        catch (Exception)
        {
            // No thread to run them on (a runtime without threads): the code compiles at its first call instead.
            lock (Gate)
            {
                Pending.Clear();
                s_running = false;
                Monitor.PulseAll(Gate);
            }
        }
    }

    /// <summary>
    /// Drops the warm-ups not yet started. Called when a training step or a prediction has finished: by then the caller
    /// has compiled what it needed itself, and the core goes back to the team (<see cref="WorkerTeam.Threads"/>).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void PassFinished()
    {
        if (!s_running || t_onWarmUpThread) return;   // a rehearsal's own pass is not the caller's
        lock (Gate) Pending.Clear();
    }

    /// <summary>Waits until no warm-up is queued or running (tests that count every thread's allocations call it first).</summary>
    public static void Wait() => Wait(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (or without end: <see cref="Timeout.InfiniteTimeSpan"/>) until no warm-up is
    /// queued or running. Waiting without end, the caller runs queued warm-ups itself meanwhile (the last queued first), as a second warm-up thread:
    /// its core would idle otherwise, and the warm-ups are one private rehearsal each (different networks may train on
    /// different threads at once). A timed wait only waits, so that it ends when it says.
    /// </summary>
    /// <returns>Whether none is.</returns>
    public static bool Wait(TimeSpan timeout)
    {
        if (t_onWarmUpThread) return false;   // a warm-up waiting for itself would wait for ever
        bool help = timeout == Timeout.InfiniteTimeSpan;
        long deadline = help ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        while (true)
        {
            Action warm;
            lock (Gate)
            {
                if (!s_running && s_helpers == 0) return true;
                if (!help || Pending.Count == 0)
                {
                    long left = deadline - Environment.TickCount64;
                    if (left <= 0) return false;
                    Monitor.Wait(Gate, help ? Timeout.Infinite : (int)Math.Min(left, int.MaxValue));
                    continue;
                }
                // From the back: the warm-up thread works from the front (the product kernels, queued first), and warm-ups
                // at the other end share less of its code, so neither waits for a method the other is compiling.
                warm = Pending.Last!.Value;
                Pending.RemoveLast();
                s_helpers++;
            }
            try
            {
                RunAsWarmUp(warm);
            }
            finally
            {
                lock (Gate)
                {
                    s_helpers--;
                    Monitor.PulseAll(Gate);
                }
            }
        }
    }

    /// <summary>Runs <paramref name="warm"/> on this thread (the warm-up thread's, or a waiting caller's) as a warm-up: its passes never split and never drop the queue, and a failure is swallowed.</summary>
    private static void RunAsWarmUp(Action warm)
    {
        bool was = t_onWarmUpThread;
        t_onWarmUpThread = true;
        try
        {
            warm();
        }
        catch (Exception)
        {
            // Only the time it meant to save is lost (see the remarks).
        }
        finally
        {
            t_onWarmUpThread = was;
        }
    }

    private static void Drain()
    {
        while (true)
        {
            Action warm;
            lock (Gate)
            {
                if (Pending.Count == 0)
                {
                    s_running = false;
                    Monitor.PulseAll(Gate);
                    return;
                }
                warm = Pending.First!.Value;
                Pending.RemoveFirst();
            }
            RunAsWarmUp(warm);
        }
    }

    /// <summary>
    /// Compiles every method of <paramref name="type"/> and of its library base types that is marked for full optimisation
    /// (the per-step drivers: a layer's passes, a loss's, an optimizer's update).
    /// </summary>
    /// <remarks>
    /// A trimmed application may have removed some of these methods; those are never called, so there is nothing of
    /// theirs to compile, and enumerating the rest is all this needs.
    /// </remarks>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Only methods that remain can be called, and only those need compiling.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Only methods that remain can be called, and only those need compiling.")]
    internal static void PrepareHotPaths(Type type)
    {
        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        for (var t = type; t is not null && LibraryCode.Declares(t); t = t.BaseType)
        {
            if (t.ContainsGenericParameters) return;
            foreach (var method in t.GetMethods(declared))
            {
                if (method.IsAbstract || method.ContainsGenericParameters) continue;
                if ((method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) == 0) continue;
                // A virtual method is left as it was (PrepareMethod compiles none); a rehearsal runs those.
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
    }

    /// <summary>A pinned array holding at least <paramref name="length"/> elements from <paramref name="start"/>, where a cache line begins.</summary>
    internal static unsafe T[] LinedUp<T>(int length, out int start) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int line = GemmProblem<T>.CacheLineBytes;
        var array = GC.AllocateArray<T>(length + line / sizeof(T), pinned: true);
        fixed (T* first = array) start = (int)((line - ((nint)first & (line - 1))) & (line - 1)) / sizeof(T);
        return array;
    }

    /// <summary>How many kinds of product <see cref="RunProduct{T}(int)"/> runs.</summary>
    internal const int ProductKinds = 6;

    /// <summary>Runs each kind of product once on small operands, on the calling thread.</summary>
    internal static void RunProducts<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int kind = 0; kind < ProductKinds; kind++) RunProduct<T>(kind);
    }

    /// <summary>Runs one kind of product on small operands, on the calling thread.</summary>
    internal static void RunProduct<T>(int kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Sizes that take every tile: 17 rows (six- and four-row tiles and a row left over), 15 and 33 columns (a band
        // of eight, then four, two and one left over; two vectors and a partial panel), k = 17 (whole vectors and a tail).
        const int m = 17, n = 33, k = 17;
        // Two full panels side by side (the four-vector tile), then a last panel one vector wide, read in place: a layer of 784
        // inputs' weight gradient.
        int edge = 5 * Vector512<T>.Count;
        // Enough rows for the row dots to pack B as they go (GemmDot.PackingTile.cs), six past the threshold; the other kinds read the first m.
        int tallRows = GemmDot.PackingMinimumRows + 7;
        var a = new T[tallRows * k];
        var b = new T[k * Math.Max(n, edge)];
        var c = new T[m * Math.Max(n, edge)];
        var bias = new T[n];
        Fill<T>(a, 7);
        Fill<T>(b, 5);
        // The backward pass's products (dx = dy·W, dW = dyᵀ·x) on the packed kernel first, then the forward pass's row dots.
        switch (kind)
        {
            case 0:
                MatrixMultiply.Compute<T>(a, false, b, false, c, m, n, k, accumulate: false, maxThreads: 1, parallelThreshold: long.MaxValue);
                break;
            case 1:
                MatrixMultiply.Compute<T>(a, true, b, false, c, k, n, m, accumulate: true, maxThreads: 1, parallelThreshold: long.MaxValue);
                break;
            case 2:
                // 16 rows end the four-vector tile's strips with four, 8 rows with two: each height of that tile (at 256 bits,
                // 16 rows end with a four-row tile and 8 rows are two of them). B read in place moves the column chunks by
                // its distance from a cache line (GemmProblem.ColumnShift), so B starts on a line here, where its 80 columns
                // hold two full panels side by side, and then one element past it, where the first columns come from a packed
                // panel: a caller's arrays lie either way, and the array above lies wherever the allocator put it.
                var lined = LinedUp<T>(k * edge + 1, out int start);
                Fill<T>(lined, 5);
                for (int shift = 0; shift <= 1; shift++)
                {
                    ReadOnlySpan<T> inPlace = lined.AsSpan(start + shift, k * edge);
                    MatrixMultiply.Compute<T>(a, false, inPlace, false, c, 16, edge, k, accumulate: false, maxThreads: 1, parallelThreshold: long.MaxValue);
                    MatrixMultiply.Compute<T>(a, false, inPlace, false, c, 8, edge, k, accumulate: false, maxThreads: 1, parallelThreshold: long.MaxValue);
                }
                break;
            case 3:
                MatrixMultiply.Compute<T>(a, false, b, true, c, m, 15, k, accumulate: false, maxThreads: 1, parallelThreshold: long.MaxValue, bias: bias.AsSpan(0, 15));
                break;
            case 4:
                MatrixMultiply.Compute<T>(a, false, b, true, c, m, 15, k, accumulate: true, maxThreads: 1, parallelThreshold: long.MaxValue);
                break;
            default:
                MatrixMultiply.Compute<T>(a, false, b, true, new T[tallRows * 15], tallRows, 15, k, accumulate: false, maxThreads: 1, parallelThreshold: long.MaxValue, bias: bias.AsSpan(0, 15));
                break;
        }
    }

    /// <summary>Fills <paramref name="values"/> with (i mod <paramref name="period"/>) / <paramref name="period"/>: small, varied, exact numbers.</summary>
    private static void Fill<T>(Span<T> values, int period) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateTruncating(i % period) / T.CreateTruncating(period);
    }
}
