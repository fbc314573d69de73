using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNets.Kernels;

/// <summary>
/// A direct weight gradient's chunks added up in chunk order as they finish, tap-major, instead of each written out whole
/// and all of them added at the end.
/// </summary>
/// <remarks>
/// <para>dW is the sum of the chunks' gradients in chunk order (the first written over dW, or added to it when the pass
/// accumulates), each element apart. Here a running sum, tap-major (<c>[K, Cout]</c>, where the direct tiles leave each
/// chunk's gradient), takes chunk c as soon as chunks 0 … c − 1 are in it: the thread that finishes chunk c adds it from
/// its own cache when its turn has come, and otherwise copies it aside and then adds every chunk aside whose turn has
/// come, so that none is left when the pass ends; the sum is then transposed into dW. Every element gets the same
/// additions in the same order as before, whatever thread adds them: the same bits.</para>
/// <para>Each part of the team runs its own contiguous range of chunks first (<see cref="UnitsWork"/>), so on two threads
/// about half of the chunks still go aside: those of the second range, until the first is added. Dealing the chunks out in
/// turns instead puts few aside, but leaves each sample's lines in both cores' caches, and the passes that next write them
/// slow down: in LeNet's step its second convolution's backward pass gained nothing and the first pooling pass took 1.36
/// times as long, in a process in the host's slow state 5.5 times (benchmarks/README.md).</para>
/// <para>Why: a 64→64-channel layer over 8×8 images has 64 chunks of 37 thousand weights at batch 64. Written out, each
/// chunk's gradient went to memory no cache held (9.4 MB in all) and was read back at the end: about a third of the
/// weight gradient's time (benchmarks/README.md).</para>
/// </remarks>
internal sealed partial class Im2ColConvolution<T>
{
    private readonly object _sumLock = new();
    private float[] _tapMajorSum = [];
    private bool[] _chunkAside = [];
    private int _chunksAdded;
    private bool _orderedSums, _sumAccumulates;

    /// <summary>Whether a direct weight gradient's chunks may be added up as they finish (the same bits either way); tests and benchmarks turn it off to compare.</summary>
    public bool AllowOrderedSums { get; set; } = true;

    /// <summary>Tests: every chunk copied aside and added by whichever thread's turn comes (the path of chunks that finish early).</summary>
    public bool SetsEveryChunkAside { get; set; }

    /// <summary>Whether the last backward pass added its chunks up as they finished (for tests).</summary>
    public bool LastBackwardSummedInOrder => _orderedSums;

    /// <summary>Decides whether this pass adds its chunks up as they finish, and starts the running sum from dW where it accumulates.</summary>
    [MethodImpl(HotPath.Options)]
    private void PlanOrderedSums(Span<T> weightGradient, bool accumulate)
    {
        _orderedSums = AllowOrderedSums && typeof(T) == typeof(float) && _directGradients && Pieces == 1
            && DirectConvolution.LeavesTapMajor(_outChannels);
        if (!_orderedSums) return;
        int length = ColumnRows * _outChannels;
        if (_tapMajorSum.Length < length) _tapMajorSum = new float[length];
        if (_chunkAside.Length < _chunks) _chunkAside = new bool[_chunks];
        Array.Clear(_chunkAside, 0, _chunks);
        _chunksAdded = 0;
        _sumAccumulates = accumulate;
        if (!accumulate) return;
        unsafe
        {
            fixed (T* source = weightGradient)
            fixed (float* target = _tapMajorSum)
                Transpose.Matrix((float*)source, _outChannels, ColumnRows, target);
        }
    }

    /// <summary>One chunk's weight gradient, tap-major, into its part's tile sums, then offered to the running sum.</summary>
    [MethodImpl(HotPath.Options)]
    private void OrderedWeightGradient(Scratch scratch, int chunkIndex, int first, int count)
    {
        PrepareDirectWeightGradient(scratch, first, count);
        var sums = TileSums(scratch, ColumnRows);
        DirectConvolution.TapMajorWeightGradient(scratch.Padded, _paddedLength, _width + 2 * _window.PadW, _tapOffsets, scratch.GradientRows,
            _outChannels, count, _outH, _outW, sums);
        lock (_sumLock)
        {
            if (_chunksAdded == chunkIndex && !SetsEveryChunkAside)
            {
                AddToSum(chunkIndex, sums);
                _chunksAdded++;
                AddChunksAside();
                return;
            }
        }
        // Not its turn yet: aside, where the chunks' gradients go when written out, for the thread whose turn comes.
        sums.CopyTo(MemoryMarshal.Cast<T, float>(ChunkWeightGradient(chunkIndex)));
        Volatile.Write(ref _chunkAside[chunkIndex], true);
        lock (_sumLock) AddChunksAside();
    }

    /// <summary>After the pass, on the calling thread: the sum transposed into dW.</summary>
    [MethodImpl(HotPath.Options)]
    private void FinishOrderedSums(Span<T> weightGradient)
    {
        // Every chunk set aside was followed by a turn at adding those whose turn had come, so none is left.
        if (_chunksAdded != _chunks) throw ChunksLeftOut();
        unsafe
        {
            fixed (float* source = _tapMajorSum)
            fixed (T* target = weightGradient)
                Transpose.Matrix(source, ColumnRows, _outChannels, (float*)target);
        }
    }

    // Under the lock: every chunk aside whose turn has come, in order.
    [MethodImpl(HotPath.Options)]
    private void AddChunksAside()
    {
        while (_chunksAdded < _chunks && Volatile.Read(ref _chunkAside[_chunksAdded]))
        {
            AddToSum(_chunksAdded, MemoryMarshal.Cast<T, float>(ChunkWeightGradient(_chunksAdded)));
            _chunksAdded++;
        }
    }

    // The running sum's step for chunk c: written over by the first unless the pass accumulates, added to otherwise.
    [MethodImpl(HotPath.Options)]
    private void AddToSum(int chunkIndex, ReadOnlySpan<float> chunk)
    {
        var sum = _tapMajorSum.AsSpan(0, ColumnRows * _outChannels);
        if (chunkIndex == 0 && !_sumAccumulates) chunk.CopyTo(sum);
        else Elementwise.Add<float>(sum, chunk, sum);
    }

    // Built apart, so that the pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidOperationException ChunksLeftOut() =>
        new(string.Create(CultureInfo.InvariantCulture, $"{_chunks - _chunksAdded} of {_chunks} chunks' weight gradients were not added up."));
}
