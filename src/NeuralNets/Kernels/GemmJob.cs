using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;

namespace NeuralNets.Kernels;

/// <summary>
/// Runs one product's fixed chunks on the <see cref="WorkerTeam"/>, without allocating: each part
/// computes its own range of chunks first (so the same rows of C, and of the weight behind them,
/// stay on the same core from call to call), then helps with the others.
/// </summary>
/// <remarks>
/// The per-thread cached job is a pool, like <c>ArrayPool.Shared</c>: it holds no result and no
/// setting, so it cannot make one call depend on another.
/// </remarks>
internal sealed class GemmJob<T> : UnitsWork where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static GemmJob<T>? t_cached;

    private readonly T[]?[] _workspaces = new T[WorkerTeam.MaxSize][];
    private GemmProblem<T> _problem;

    /// <summary>Computes <paramref name="problem"/> on up to <paramref name="threads"/> threads.</summary>
    /// <remarks>More parts than the team has threads still give the same result; tests use that.</remarks>
    [MethodImpl(HotPath.Options)]
    public static void Run(in GemmProblem<T> problem, int threads)
    {
        // Taken out of the cache while in use, so a nested call on this thread gets its own.
        var job = t_cached ?? new GemmJob<T>();
        t_cached = null;
        job._problem = problem;
        try
        {
            job.RunUnits(problem.ChunkCount, threads);
        }
        finally
        {
            job._problem = default;
            t_cached = job;
        }
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void BeginPart(int part)
    {
        if (_problem.Dot) return;
        var workspace = ArrayPool<T>.Shared.Rent(GemmPacked.WorkspaceLength(_problem));
        GemmPacked.PrepareWorkspace(_problem, workspace);
        _workspaces[part] = workspace;
        // Part 0 is the calling thread's: it adds up A's rows (right after its transposed copy read them) while the other parts
        // start on their chunks; whichever part finishes its range first takes what is left of the others'.
        if (part == 0) GemmPacked.AddRowSumsOfA(_problem);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void EndPart(int part)
    {
        if (_workspaces[part] is { } workspace) ArrayPool<T>.Shared.Return(workspace);
        _workspaces[part] = null;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override int InRangeOrder(int index, int first, int count)
    {
        int bands = _problem.ChunksM;
        if (!_problem.Dot || bands == 1 || _problem.KPieces > 1) return first + index;
        // Row-dot chunks are numbered column chunk by column chunk (chunk = column · bands + band). Taken band by band
        // instead, a band of A's rows is read for every column chunk of the range while it is still in the cache.
        int end = first + count;
        for (int band = 0; band < bands; band++)
        {
            int start = first + ((band - first % bands) % bands + bands) % bands;
            int inBand = start < end ? (end - 1 - start) / bands + 1 : 0;
            if (index < inBand) return start + index * bands;
            index -= inBand;
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void RunUnit(int unit, int part)
    {
        GemmPacked.RunUnit(_problem, unit, _workspaces[part]);
        if (_problem.Epilogue is { } epilogue)
        {
            // Set only on products over an uncut k, whose units are their chunks (MatrixMultiply.Compute): row-dot chunks,
            // or packed chunks of whole rows.
            var (i0, i1, j0, j1) = _problem.Dot ? _problem.DotChunk(unit) : _problem.PackedChunkOfWholeRows(unit);
            // A chunk of whole rows (C cut into bands of rows) is one run of C.
            int n = _problem.N;
            if (j0 == 0 && j1 == n) epilogue.Apply(RunOfC(i0, 0, (i1 - i0) * n), i0 * n);
            else for (int i = i0; i < i1; i++) epilogue.Apply(RunOfC(i, j0, j1 - j0), i * n + j0);
        }
    }

    private unsafe Span<T> RunOfC(int row, int column, int length) => new(_problem.C + (nint)row * _problem.N + column, length);
}
