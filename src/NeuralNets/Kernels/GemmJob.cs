using System.Buffers;
using System.Numerics;

namespace NeuralNets.Kernels;

/// <summary>
/// Runs one product's fixed chunks on the <see cref="WorkerTeam"/>, without allocating. Part p owns
/// the p-th contiguous range of chunks and computes those first (so the same rows of C, and of the
/// weight behind them, stay on the same core from call to call), then helps with the other ranges;
/// every chunk is claimed exactly once whoever runs it.
/// </summary>
/// <remarks>
/// The per-thread cached job is a pool, like <c>ArrayPool.Shared</c>: it holds no result and no
/// setting, so it cannot make one call depend on another.
/// </remarks>
internal sealed class GemmJob<T> : TeamWork where T : unmanaged, IFloatingPointIeee754<T>
{
    // One claim counter per part, a cache line apart so that parts do not slow each other down.
    private const int CounterStride = 64 / sizeof(int);

    [ThreadStatic]
    private static GemmJob<T>? t_cached;

    private readonly int[] _claimed = new int[WorkerTeam.MaxSize * CounterStride];
    private GemmProblem<T> _problem;

    /// <summary>Computes <paramref name="problem"/> on up to <paramref name="threads"/> threads.</summary>
    public static void Run(in GemmProblem<T> problem, int threads)
    {
        // More parts than the team has threads still give the same result; tests use that.
        int parts = Math.Min(Math.Min(threads, WorkerTeam.MaxSize), problem.ChunkCount);
        if (parts <= 1)
        {
            RunUnits(problem, 0, problem.ChunkCount);
            return;
        }
        // Taken out of the cache while in use, so a nested call on this thread gets its own.
        var job = t_cached ?? new GemmJob<T>();
        t_cached = null;
        job._problem = problem;
        for (int part = 0; part < parts; part++) job._claimed[part * CounterStride] = 0;
        WorkerTeam.Run(job, parts);
        job._problem = default;
        t_cached = job;
    }

    /// <inheritdoc/>
    public override void RunPart(int part, int parts)
    {
        T[]? workspace = _problem.Dot ? null : ArrayPool<T>.Shared.Rent(GemmPacked.WorkspaceLength);
        try
        {
            for (int offset = 0; offset < parts; offset++)
            {
                int range = (part + offset) % parts;
                int first = Start(range, parts), count = Start(range + 1, parts) - first;
                int unit;
                while ((unit = Interlocked.Increment(ref _claimed[range * CounterStride]) - 1) < count)
                    GemmPacked.RunUnit(_problem, first + unit, workspace);
            }
        }
        finally
        {
            if (workspace is not null) ArrayPool<T>.Shared.Return(workspace);
        }
    }

    private int Start(int range, int parts) => (int)((long)_problem.ChunkCount * range / parts);

    private static void RunUnits(in GemmProblem<T> problem, int first, int end)
    {
        T[]? workspace = problem.Dot ? null : ArrayPool<T>.Shared.Rent(GemmPacked.WorkspaceLength);
        for (int unit = first; unit < end; unit++) GemmPacked.RunUnit(problem, unit, workspace);
        if (workspace is not null) ArrayPool<T>.Shared.Return(workspace);
    }
}
