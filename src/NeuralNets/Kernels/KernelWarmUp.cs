using System.Numerics;

namespace NeuralNets.Kernels;

/// <summary>
/// Compiles the matrix-product kernels on a thread-pool thread when the first network of an element type is made, so that
/// the first training step or prediction on the caller's thread finds them compiled, or compiles the rest while they are.
/// </summary>
/// <remarks>
/// The kernels are compiled fully optimised at their first call (<see cref="HotPath"/>), and compiling them was most of
/// a process's first training step (benchmarks/README.md, "The first call"). The warm-up runs each kind of product once,
/// on a few numbers and on its own thread only (below every split threshold, never on the team), with the kernel width
/// and numeric family the network will use: the same methods, compiled once for both threads. A method the two threads
/// reach at once is compiled by one while the other waits. The backward pass's kernels come first, since a first step
/// begins with the forward ones. Nothing is done where there is no second core to do it on.
/// </remarks>
internal static class KernelWarmUp
{
    private static int s_floatStarted, s_doubleStarted;
    private static Task s_float = Task.CompletedTask, s_double = Task.CompletedTask;

    /// <summary>Starts the warm-up for <typeparamref name="T"/> once per process.</summary>
    public static void Start<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (WorkerTeam.DefaultSize < 2 || WorkerTeam.ThreadsUnavailable || !GemmPacked.Supports<T>()) return;
        if (typeof(T) == typeof(float))
        {
            if (Interlocked.Exchange(ref s_floatStarted, 1) == 0) s_float = Task.Run(Rehearse<float>);
        }
        else if (Interlocked.Exchange(ref s_doubleStarted, 1) == 0) s_double = Task.Run(Rehearse<double>);
    }

    /// <summary>Waits for any warm-up started (tests that count every thread's allocations call it first).</summary>
    public static void Wait() => Task.WaitAll(s_float, s_double);

    private static void Rehearse<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            RunProducts<T>();
        }
        catch (Exception)
        {
            // A warm-up that fails costs only the time it meant to save: the kernels then compile at their first real call,
            // where any real fault shows. (Tests run RunProducts itself.)
        }
    }

    /// <summary>Runs each kind of product once on small operands, on the calling thread.</summary>
    internal static void RunProducts<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Sizes that take every tile: 17 rows (six- and four-row tiles and a row left over), 9 and 33 columns (a band
        // of eight and a column left over; two vectors and a partial panel), k = 17 (whole vectors and a tail).
        const int m = 17, n = 33, k = 17;
        var a = new T[m * k];
        var b = new T[k * n];
        var c = new T[m * n];
        var bias = new T[n];
        for (int i = 0; i < a.Length; i++) a[i] = T.CreateTruncating(i % 7) / T.CreateTruncating(7);
        for (int i = 0; i < b.Length; i++) b[i] = T.CreateTruncating(i % 5) / T.CreateTruncating(5);
        // The backward pass's products (dx = dy·W, dW = dyᵀ·x) on the packed kernel, then the forward pass's row dots.
        MatrixMultiply.Compute<T>(a, false, b, false, c, m, n, k, accumulate: false, maxThreads: 1, parallelThreshold: long.MaxValue);
        MatrixMultiply.Compute<T>(a, true, b, false, c, k, n, m, accumulate: true, maxThreads: 1, parallelThreshold: long.MaxValue);
        MatrixMultiply.Compute<T>(a, false, b, true, c, m, 9, k, accumulate: false, maxThreads: 1, parallelThreshold: long.MaxValue, bias: bias.AsSpan(0, 9));
        MatrixMultiply.Compute<T>(a, false, b, true, c, m, 9, k, accumulate: true, maxThreads: 1, parallelThreshold: long.MaxValue);
    }
}
