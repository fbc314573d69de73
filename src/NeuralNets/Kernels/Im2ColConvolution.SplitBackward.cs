using System.Runtime.CompilerServices;
using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// A backward pass with fewer chunks than threads (one large image, a small batch on many cores) split inside its chunks,
/// where its weight gradient is direct with vectors across output channels: each chunk's weight gradient by ranges of
/// input channels, its direct input gradient by bands of rows, or its column gradient's product and fold as one piece.
/// </summary>
/// <remarks>
/// Each element of dW is its own chain over the chunk's positions and each row of dX its own sums
/// (<see cref="DirectConvolution"/>), and the column gradient's product gives the same bits on any number of threads, so
/// a piece computes exactly the elements the whole chunk would: the same bits whatever the pieces.
/// </remarks>
internal sealed partial class Im2ColConvolution<T>
{
    private int _weightPieces, _inputPieces;

    /// <summary>Units each chunk of this backward pass is run as: 1 (the chunk whole), or its weight pieces then its input pieces.</summary>
    private int Pieces { [MethodImpl(HotPath.Options)] get => _weightPieces + _inputPieces; }

    /// <summary>Whether a backward pass may be split inside its chunks (the same bits either way); benchmarks turn it off to compare.</summary>
    public bool AllowSplitBackward { get; set; } = true;

    /// <summary>How many pieces each chunk of the last backward pass was split into (1: not split); for tests and benchmarks.</summary>
    public int LastBackwardPieces => Pieces;

    /// <summary>Decides this backward pass's pieces per chunk and how many parts run them.</summary>
    [MethodImpl(HotPath.Options)]
    private void PlanPieces()
    {
        (_weightPieces, _inputPieces) = (1, 0);
        int threads = MaxParts == 0 ? WorkerTeam.Threads : MaxParts;
        bool directWeights = _directGradients && _outChannels >= DirectConvolution.MinimumGradientChannels;
        // As many pieces a chunk as give every thread one and none two: with more, the pass would still take a whole piece more
        // than the rest on some thread, while every piece pads and rearranges its chunk's inputs again.
        int pieces = Math.Min(threads, WorkerTeam.MaxSize) / _chunks;
        if (!AllowSplitBackward || !directWeights || pieces < 2) return;
        long multiplyAdds = (long)_batch * _outChannels * _outH * _outW * ColumnRows * (_inputGradient is null ? 1 : 2);
        if (multiplyAdds < MatrixMultiply.ParallelThreshold) return;

        // The two gradients cost the same multiply-adds: half the pieces each where both are wanted (the column gradient
        // one piece, whatever is left).
        if (_inputGradient is null) _weightPieces = Math.Min(pieces, _inChannels);
        else (_weightPieces, _inputPieces) = (Math.Clamp(pieces / 2, 1, _inChannels), _directInputGradient ? Math.Clamp(pieces - pieces / 2, 1, _height) : 1);
        _parts = _chunks * Pieces;
        EnsureScratch(_parts);
    }

    /// <summary>One piece of a chunk's backward pass: a range of input channels' dW (the first piece also db), or a band of dX's rows, or all of dX through the column gradient.</summary>
    [MethodImpl(HotPath.Options)]
    private void BackwardPiece(int chunkIndex, int piece, int part)
    {
        var scratch = _scratch[part];
        int first = chunkIndex * _chunk, count = Math.Min(_chunk, _batch - first);
        if (piece < _weightPieces)
        {
            int firstChannel = (int)((long)_inChannels * piece / _weightPieces), endChannel = (int)((long)_inChannels * (piece + 1) / _weightPieces);
            DirectWeightGradient(scratch, first, count, ChunkWeightGradient(chunkIndex), firstChannel, endChannel);
            // The bias from dY's planes where they sum with vectors: this piece reads no rearranged copy of dY otherwise.
            if (piece == 0 && _sumsBias)
                SumChunkBias(chunkIndex, first, count, FixedSum.SumsPlanesWithVectors(_outH * _outW) ? Span<T>.Empty : ArrangeOutputGradient(scratch, first, count));
            return;
        }
        int band = piece - _weightPieces, imageSize = _inChannels * _height * _width;
        var dx = _inputGradient!.Span().Slice(first * imageSize, count * imageSize);
        if (!_directInputGradient)
        {
            // Its product on this piece's thread alone: the team is running the pieces.
            ColumnInputGradient(scratch, count, ArrangeOutputGradient(scratch, first, count), dx, productThreads: 1);
            return;
        }
        int rowStart = (int)((long)_height * band / _inputPieces), rowEnd = (int)((long)_height * (band + 1) / _inputPieces);
        DirectInputGradient(scratch, first, count, dx, rowStart, rowEnd);
    }
}
