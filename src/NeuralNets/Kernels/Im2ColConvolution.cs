using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// Runs a 2-D convolution's passes as matrix multiplies over unfolded images (im2col), for <see cref="Conv2D{T}"/>:
/// the batch is cut into chunks of whole samples, the chunks are shared out over the <see cref="WorkerTeam"/>, and
/// each part keeps its own scratch buffers. The layer says what is computed; this class decides how.
/// </summary>
/// <remarks>
/// <para>Forward, per chunk of samples: X̂ <c>[Cin·kH·kW, count·outH·outW]</c> = unfold(x), P = W·X̂, y = P + b back in NCHW.
/// Backward, per chunk: its own dW = dY·X̂ᵀ and db = Σ dY, then dX̂ = Wᵀ·dY folded back onto the pixels. The chunks'
/// dW and db are added in chunk order, so the sums do not depend on which thread ran a chunk: at the end of the pass, or, for a
/// direct weight gradient in whole vectors of channels, as the chunks finish (Im2ColConvolution.OrderedSums.cs).</para>
/// <para>A chunk holds about <see cref="ChunkElements"/> elements of X̂ (2¹⁶ by default), so that X̂ stays in the core's
/// L2 cache between the unfold that writes it and the product that reads it (benchmarks/README.md has the measurement).
/// Chunking depends on the shapes only, never on the thread count. A pass of one chunk keeps X̂ for the backward pass;
/// otherwise the backward pass unfolds each chunk again.</para>
/// <para>Float stride-1 convolutions skip most of the unfolding (Im2ColConvolution.Direct.cs): the forward pass computes
/// from a padded copy of each image (<see cref="DirectConvolution"/>, the same bits), the input gradient from a padded copy
/// of dY without the column gradient (Im2ColConvolution.DirectInputGradient.cs, the same bits) or else with its fold gathered
/// (<see cref="GatherFold"/>, the same bits), this machine's timings choosing, and the weight gradient is summed without X̂ (vectors across output channels from
/// eight of them, across output positions below that). A direct backward pass with fewer chunks than threads splits each
/// chunk into ranges of input channels and bands of rows (Im2ColConvolution.SplitBackward.cs, the same bits).</para>
/// <para>Not thread-safe: one per layer object (an inference copy makes its own).</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal sealed partial class Im2ColConvolution<T> : IConvolutionPasses<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _inChannels, _outChannels;
    private readonly Window2D _window;
    private readonly ChunkJob _forwardJob, _backwardJob;
    private Scratch[] _scratch = [];       // one set of buffers per part of the team
    private T[] _chunkGradients = [];      // per chunk of samples: its dW, then its db
    private bool _columnsHoldBatch;        // whether part 0's columns still hold X̂ of the whole last forward batch

    // The pass being run, read by the chunks (set for the pass, cleared after it).
    private Tensor<T>? _input, _output, _outputGradient, _inputGradient;
    private ArraySegment<T> _weight = ArraySegment<T>.Empty, _bias = ArraySegment<T>.Empty;
    private T[] _absentBias = [];          // the bias of a layer without one: +0, so that every path rounds −0 sums alike
    private bool _sumsBias;                // whether the backward pass being run sums db (a layer with a bias)
    private int _batch, _height, _width, _outH, _outW, _chunk, _chunks, _parts;

    /// <summary>Prepares the passes of a convolution of <paramref name="inChannels"/> to <paramref name="outChannels"/> channels over <paramref name="window"/>.</summary>
    public Im2ColConvolution(int inChannels, int outChannels, Window2D window)
    {
        (_inChannels, _outChannels, _window) = (inChannels, outChannels, window);
        _forwardJob = new ChunkJob(this, forward: true);
        _backwardJob = new ChunkJob(this, forward: false);
        _directJob = new DirectJob(this);
    }

    /// <summary>About how many elements of X̂ one product covers; tests lower it to exercise chunking.</summary>
    public int ChunkElements { get; set; } = 1 << 16;

    /// <summary>Most parts the chunks are split into (0: one per thread of the team). Results do not depend on it; tests set it to show that.</summary>
    public int MaxParts { get; set; }

    private int ColumnRows { [MethodImpl(HotPath.Options)] get => _inChannels * _window.KernelH * _window.KernelW; }

    /// <summary>Computes <c>y = W ⋆ x + b</c> into <paramref name="output"/> <c>[N, Cout, outH, outW]</c>.</summary>
    /// <param name="input">x, <c>[N, Cin, H, W]</c>, checked by the layer.</param>
    /// <param name="weight">W, <c>[Cout, Cin, kH, kW]</c>.</param>
    /// <param name="bias">b, <c>[Cout]</c>, or empty for a layer without one: its sums then get +0 added, as a bias of zeros
    /// would, on every path alike (the direct pass adds its bias in its tiles; −0 sums become +0 either way).</param>
    /// <param name="output">y.</param>
    [MethodImpl(HotPath.Options)]
    public void Forward(Tensor<T> input, ArraySegment<T> weight, ArraySegment<T> bias, Tensor<T> output)
    {
        if (bias.Count == 0)
        {
            if (_absentBias.Length != _outChannels) _absentBias = new T[_outChannels];
            bias = _absentBias;
        }
        StartPass(input, weight, bias);
        _output = output;
        _columnsHoldBatch = false;
        // Where the direct pass applies, this machine's timings choose between it and the unfolded one: the same bits.
        bool direct = CanForwardDirect(), first = direct && _forwardChoice.UseFirst(ShapeKey);
        long start = Stopwatch.GetTimestamp();
        if (first)
        {
            ForwardDirect();
            _forwardChoice.Record(ShapeKey, first: true, Stopwatch.GetTimestamp() - start);
            return;
        }
        try
        {
            _forwardJob.Run(_chunks);
        }
        finally
        {
            EndPass();
        }
        _columnsHoldBatch = _chunks == 1;
        if (direct) _forwardChoice.Record(ShapeKey, first: false, Stopwatch.GetTimestamp() - start);
    }

    /// <summary>
    /// Computes dW and db into <paramref name="weightGradient"/> and <paramref name="biasGradient"/> (added, or written over
    /// the weight gradient when <paramref name="accumulate"/> is false) and, when <paramref name="inputGradient"/> is given, dX into it.
    /// </summary>
    /// <param name="input">x of the forward pass.</param>
    /// <param name="outputGradient">dY, <c>[N, Cout, outH, outW]</c>, checked by the layer.</param>
    /// <param name="weight">W.</param>
    /// <param name="weightGradient">dW, <c>[Cout, Cin, kH, kW]</c>.</param>
    /// <param name="accumulate">Whether to add into dW rather than overwrite it.</param>
    /// <param name="biasGradient">db, <c>[Cout]</c>, added to; empty for a layer without a bias, whose db is not summed.</param>
    /// <param name="inputGradient">dX, <c>[N, Cin, H, W]</c>, or null to skip it.</param>
    [MethodImpl(HotPath.Options)]
    public void Backward(Tensor<T> input, Tensor<T> outputGradient, ArraySegment<T> weight, Span<T> weightGradient, bool accumulate, Span<T> biasGradient, Tensor<T>? inputGradient)
    {
        StartPass(input, weight, ArraySegment<T>.Empty);
        _sumsBias = !biasGradient.IsEmpty;
        int weightLength = weight.Count, stride = ChunkStride;
        var chunkGradients = Buffer(ref _chunkGradients, _chunks * stride);
        (_outputGradient, _inputGradient) = (outputGradient, inputGradient);
        PrepareDirectBackward();
        // Where dX can be computed without the column gradient, or that gradient's fold gathered, this machine's timings
        // choose: the same bits. The fold is chosen first, so that the direct input gradient is then timed against the
        // column gradient with its faster fold, not against the fold's untimed first calls.
        bool foldable = inputGradient is not null && AllowDirect && typeof(T) == typeof(float) && GatherFold.Handles(_window);
        bool foldUndecided = foldable && _foldChoice.Forced is null && _foldChoice.Choice(ShapeKey) is null;
        bool directable = inputGradient is not null && CanInputGradientDirect() && (_inputGradientChoice.Forced is not null || !foldUndecided);
        bool direct = directable && _inputGradientChoice.UseFirst(ShapeKey);
        // Timed from here: the direct input gradient's check and rearrangement of the weights are part of its cost (at batch 1
        // they were as long as the pass they prepare, and left out they made it look as fast as the column gradient).
        long start = Stopwatch.GetTimestamp();
        // Weights that are not all finite take the column gradient whatever the choice; that pass is not timed for it.
        _directInputGradient = direct && WeightsAreFinite();
        if (_directInputGradient) PrepareDirectInputGradient();
        bool gatherable = foldable && !_directInputGradient;
        _gatherFold = gatherable && _foldChoice.UseFirst(ShapeKey);
        PlanPieces();
        PlanOrderedSums(weightGradient, accumulate);
        try
        {
            _backwardJob.Run(_chunks * Pieces);
        }
        finally
        {
            EndPass();
        }
        long ticks = Stopwatch.GetTimestamp() - start;
        if (directable && direct == _directInputGradient) _inputGradientChoice.Record(ShapeKey, direct, ticks);
        if (gatherable) _foldChoice.Record(ShapeKey, _gatherFold, ticks);
        // dW: each element the sum of its chunks' values in chunk order, split across the team by elements (a 32→64-channel
        // 3×3 layer at batch 32 has 32 chunks of 18,432 values: too much for the calling thread alone, benchmarks/README.md).
        if (_orderedSums) FinishOrderedSums(weightGradient);
        else
        {
            unsafe
            {
                fixed (T* target = weightGradient)
                {
                    var sums = new ChunkSums(target, _chunkGradients, _chunks, stride, accumulate);
                    ParallelRanges.Run(sums, weightLength, ParallelRanges.PartsFor((int)Math.Min(int.MaxValue, (long)weightLength * _chunks)));
                }
            }
        }
        for (int c = 0; c < _chunks && _sumsBias; c++)
            Elementwise.Add(biasGradient, chunkGradients.Slice(c * stride + weightLength, _outChannels), biasGradient);
    }

    /// <summary>
    /// Adds the chunks' weight gradients over a range of elements, in chunk order (the first written over the target unless it
    /// accumulates), a block of elements at a time, so that the block stays in the L1 cache while every chunk is added to it.
    /// </summary>
    private readonly unsafe struct ChunkSums(T* target, T[] chunkGradients, int chunks, int stride, bool accumulate) : IRangeOperation
    {
        private const int Block = 1024;

        [MethodImpl(HotPath.Options)]
        public void Run(int start, int length)
        {
            for (int first = start, end = start + length; first < end; first += Block)
            {
                int count = Math.Min(Block, end - first);
                var sum = new Span<T>(target + first, count);
                for (int c = 0; c < chunks; c++)
                {
                    var chunk = chunkGradients.AsSpan(c * stride + first, count);
                    if (c == 0 && !accumulate) chunk.CopyTo(sum);
                    else Elementwise.Add(sum, chunk, sum);
                }
            }
        }
    }

    /// <summary>Sets the shapes and the chunking of a pass and makes sure every part has its buffers.</summary>
    [MethodImpl(HotPath.Options)]
    private void StartPass(Tensor<T> input, ArraySegment<T> weight, ArraySegment<T> bias)
    {
        (_input, _weight, _bias) = (input, weight, bias);
        (_batch, _height, _width) = (input.BatchSize(), (int)input.Lengths[2], (int)input.Lengths[3]);
        (_outH, _outW) = (_window.OutputHeight(_height), _window.OutputWidth(_width));
        _chunk = Math.Max(1, Math.Min(_batch, ChunkElements / (ColumnRows * _outH * _outW)));
        _chunks = (_batch + _chunk - 1) / _chunk;
        _parts = Math.Min(_chunks, MaxParts == 0 ? WorkerTeam.Threads : MaxParts);
        EnsureScratch(_parts);
    }

    /// <summary>Makes sure every part has its buffers.</summary>
    [MethodImpl(HotPath.Options)]
    private void EnsureScratch(int parts)
    {
        if (_scratch.Length >= parts) return;
        var grown = new Scratch[parts];
        _scratch.CopyTo(grown, 0);
        for (int i = _scratch.Length; i < parts; i++) grown[i] = new Scratch();
        _scratch = grown;
    }

    // The input stays: a backward pass of one chunk reuses the columns unfolded from it.
    [MethodImpl(HotPath.Options)]
    private void EndPass() => (_output, _outputGradient, _inputGradient, _weight, _bias) = (null, null, null, ArraySegment<T>.Empty, ArraySegment<T>.Empty);

    // A chunk's own product runs on its part's thread; only a pass of one chunk (one large image) splits its product.
    private int ProductThreads => _chunks == 1 ? 0 : 1;

    /// <summary>The forward pass over one chunk of samples: unfold, multiply, add the bias, back to NCHW.</summary>
    [MethodImpl(HotPath.Options)]
    private void ForwardChunk(int chunkIndex, int part)
    {
        var scratch = _scratch[part];
        int first = chunkIndex * _chunk, count = Math.Min(_chunk, _batch - first), plane = _outH * _outW, span = count * plane;
        var columns = Unfold(scratch, first, count);
        // P[Cout, count·outH·outW] = W[Cout, K] · X̂[K, count·outH·outW]
        var product = Buffer(ref scratch.Product, _outChannels * span);
        MatrixMultiply.Compute<T>(_weight, false, columns, false, product, _outChannels, span, ColumnRows, accumulate: false, maxThreads: ProductThreads);
        // y[n, o] = P[o, sample n] + b[o]
        Span<T> y = _output!.Span();
        ReadOnlySpan<T> bias = _bias;
        for (int n = 0; n < count; n++)
            for (int o = 0; o < _outChannels; o++)
                Elementwise.Add(product.Slice(o * span + n * plane, plane), bias[o], y.Slice(((first + n) * _outChannels + o) * plane, plane));
    }

    /// <summary>The backward pass over one chunk of samples: its own dW and db, and its samples' dx.</summary>
    [MethodImpl(HotPath.Options)]
    private void BackwardChunk(int chunkIndex, int part)
    {
        var scratch = _scratch[part];
        int rows = ColumnRows, plane = _outH * _outW, imageSize = _inChannels * _height * _width;
        int first = chunkIndex * _chunk, count = Math.Min(_chunk, _batch - first), span = count * plane;

        var dyMatrix = ArrangeOutputGradient(scratch, first, count);

        // This chunk's dW[Cout, K] and db[o] = Σ dY[o, :], added up in chunk order by Backward.
        var chunkWeight = ChunkWeightGradient(chunkIndex);
        if (_orderedSums) OrderedWeightGradient(scratch, chunkIndex, first, count);
        else if (_directGradients) DirectWeightGradient(scratch, first, count, chunkWeight, 0, _inChannels);
        else
        {
            // dY · X̂ᵀ; X̂ is still there when the forward pass fit in one chunk, otherwise unfolded again.
            var columns = _columnsHoldBatch ? scratch.Columns.AsSpan(0, rows * span) : Unfold(scratch, first, count);
            MatrixMultiply.Compute<T>(dyMatrix, false, columns, true, chunkWeight, _outChannels, rows, span, accumulate: false, maxThreads: ProductThreads);
        }
        SumChunkBias(chunkIndex, first, count, dyMatrix);

        // dX̂ = Wᵀ · dY, each sample's block folded back onto the pixels it came from.
        if (_inputGradient is not { } dxTensor) return;
        var dx = dxTensor.Span().Slice(first * imageSize, count * imageSize);
        if (_directInputGradient) DirectInputGradient(scratch, first, count, dx, 0, _height);
        else ColumnInputGradient(scratch, count, dyMatrix, dx, ProductThreads);
    }

    /// <summary>dX of a chunk's samples through the column gradient Wᵀ·dY (<paramref name="dyMatrix"/>: <see cref="ArrangeOutputGradient"/>), folded back onto the pixels.</summary>
    [MethodImpl(HotPath.Options)]
    private void ColumnInputGradient(Scratch scratch, int count, ReadOnlySpan<T> dyMatrix, Span<T> dx, int productThreads)
    {
        int rows = ColumnRows, plane = _outH * _outW, span = count * plane, imageSize = _inChannels * _height * _width;
        // Room around dX̂ for the gathering fold's shifted loads, whose lanes outside it are dropped.
        int slack = GatherFold.Slack;
        var withSlack = Buffer(ref scratch.ColumnGradient, rows * span + 2 * slack);
        var columnGradient = withSlack.Slice(slack, rows * span);
        MatrixMultiply.Compute<T>(_weight, true, dyMatrix, false, columnGradient, rows, span, _outChannels, accumulate: false, maxThreads: productThreads);
        if (_gatherFold)
        {
            var floats = MemoryMarshal.Cast<T, float>(withSlack);
            var target = MemoryMarshal.Cast<T, float>(dx);
            for (int n = 0; n < count; n++)
                GatherFold.Fold(floats, span, n, _inChannels, _height, _width, _window, _outH, _outW, target.Slice(n * imageSize, imageSize));
            return;
        }
        dx.Clear();
        for (int n = 0; n < count; n++)
            Im2Col.FoldAdd<T>(columnGradient[(n * plane)..], span, _inChannels, _height, _width, _window, _outH, _outW, dx.Slice(n * imageSize, imageSize));
    }

    /// <summary>
    /// Whether the bias gradient sums dY's planes where they lie (<see cref="FixedSum.SumOfPlanes"/>: the same bits) instead
    /// of reading the [Cout, count·outH·outW] copy: where nothing else reads that copy, a direct pass without the column
    /// gradient (a first layer's, or one whose dX is direct).
    /// </summary>
    private bool BiasFromPlanes
    {
        [MethodImpl(HotPath.Options)]
        get => (_inputGradient is null || _directInputGradient) && _directGradients && typeof(T) == typeof(float) && FixedSum.SumsPlanesWithVectors(_outH * _outW);
    }

    /// <summary>A chunk's dY as [Cout, count·outH·outW], the layout of the forward product, in the part's scratch; empty where <see cref="BiasFromPlanes"/>.</summary>
    [MethodImpl(HotPath.Options)]
    private Span<T> ArrangeOutputGradient(Scratch scratch, int first, int count)
    {
        if (BiasFromPlanes) return Span<T>.Empty;
        int plane = _outH * _outW, span = count * plane;
        ReadOnlySpan<T> dy = _outputGradient!.Span();
        var dyMatrix = Buffer(ref scratch.Product, _outChannels * span);
        for (int n = 0; n < count; n++)
            for (int o = 0; o < _outChannels; o++)
                dy.Slice(((first + n) * _outChannels + o) * plane, plane).CopyTo(dyMatrix.Slice(o * span + n * plane, plane));
        return dyMatrix;
    }

    /// <summary>Where a chunk's own dW goes before the chunks are added up.</summary>
    [MethodImpl(HotPath.Options)]
    private Span<T> ChunkWeightGradient(int chunkIndex) => _chunkGradients.AsSpan(chunkIndex * ChunkStride, _weight.Count);

    /// <summary>How far apart the chunks' gradients lie in <see cref="_chunkGradients"/>: a chunk's dW, then its db.</summary>
    private int ChunkStride { [MethodImpl(HotPath.Options)] get => _weight.Count + _outChannels; }

    /// <summary>
    /// A chunk's db[o] = Σ dY[o, :] (nothing for a layer without a bias), from <paramref name="dyMatrix"/> (<see cref="ArrangeOutputGradient"/>) or, where that
    /// is empty (float only), from dY's planes where they lie: the same bits.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private void SumChunkBias(int chunkIndex, int first, int count, ReadOnlySpan<T> dyMatrix)
    {
        if (!_sumsBias) return;
        int plane = _outH * _outW, span = count * plane;
        var chunkBias = _chunkGradients.AsSpan(chunkIndex * ChunkStride + _weight.Count, _outChannels);
        if (dyMatrix.IsEmpty && typeof(T) == typeof(float))
        {
            var planes = MemoryMarshal.Cast<T, float>(_outputGradient!.Span());
            for (int o = 0; o < _outChannels; o++)
            {
                float sum = FixedSum.SumOfPlanes(planes[((first * _outChannels + o) * plane)..], plane, _outChannels * plane, count);
                chunkBias[o] = Unsafe.As<float, T>(ref sum);
            }
            return;
        }
        for (int o = 0; o < _outChannels; o++) chunkBias[o] = FixedSum.Sum<T>(dyMatrix.Slice(o * span, span));
    }

    /// <summary>X̂ of samples [first, first + count) into the part's columns buffer, side by side: [K, count·outH·outW].</summary>
    [MethodImpl(HotPath.Options)]
    private Span<T> Unfold(Scratch scratch, int first, int count)
    {
        int imageSize = _inChannels * _height * _width, plane = _outH * _outW, span = count * plane;
        var columns = Buffer(ref scratch.Columns, ColumnRows * span);
        ReadOnlySpan<T> x = _input!.Span();
        if (_window.StrideH == 1 && _window.StrideW == 1)
        {
            // A padded copy first, then every line of X̂ is a plain copy: far fewer steps per line than clipping each to the image.
            var padded = Buffer(ref scratch.PaddedImage, _inChannels * (_height + 2 * _window.PadH) * (_width + 2 * _window.PadW));
            for (int n = 0; n < count; n++)
            {
                Im2Col.Pad(x.Slice((first + n) * imageSize, imageSize), _inChannels, _height, _width, _window, padded);
                Im2Col.UnfoldPadded<T>(padded, _inChannels, _height, _width, _window, _outH, _outW, columns[(n * plane)..], span);
            }
            return columns;
        }
        for (int n = 0; n < count; n++)
            Im2Col.Unfold(x.Slice((first + n) * imageSize, imageSize), _inChannels, _height, _width, _window, _outH, _outW, columns[(n * plane)..], span);
        return columns;
    }

    /// <summary>One part's buffers; they grow to the largest chunk seen and are then reused.</summary>
    private sealed class Scratch
    {
        // The products' operands start on a cache line (AlignedArrays), as a tensor's do: a B read in place off a line has
        // its chunks shifted and their first and last columns packed into partial tiles (benchmarks/README.md).
        public ArraySegment<T> Columns = ArraySegment<T>.Empty;         // X̂ of a chunk of samples, [K, count·outH·outW]
        public ArraySegment<T> PaddedImage = ArraySegment<T>.Empty;     // one sample with its zero padding, unfolded from
        public ArraySegment<T> Product = ArraySegment<T>.Empty;         // W·X̂ in the forward pass, dY rearranged in the backward
        public ArraySegment<T> ColumnGradient = ArraySegment<T>.Empty;  // Wᵀ·dY, [K, count·outH·outW], with room for the gathering fold's loads on both sides
        public float[] PaddedGradient = [];  // one sample's dY with the direct input gradient's zero padding
        public float[] Padded = [];      // zero-padded images: one for the direct forward pass, a chunk's for its weight gradient
        public ArraySegment<float> GradientRows = ArraySegment<float>.Empty;  // a chunk's dY, position-major, for the direct weight gradient, on cache lines
        public float[] TileSums = [];      // the direct weight gradient's tile sums, tap-major
        public float[] LaneSums = [];      // the few-channel direct weight gradient's lanes
        public ArraySegment<float> SpreadImages = ArraySegment<float>.Empty;  // its padded images, each on a cache line
        public ArraySegment<float> SpreadRows = ArraySegment<float>.Empty;    // its spread dY rows, on cache lines
    }

    /// <summary>A pass over the chunks of samples, split across the team: chunks are independent.</summary>
    private sealed class ChunkJob(Im2ColConvolution<T> convolution, bool forward) : UnitsWork
    {
        public void Run(int chunks) => RunUnits(chunks, convolution._parts);

        [MethodImpl(HotPath.Options)]
        protected override void RunUnit(int unit, int part)
        {
            if (forward) convolution.ForwardChunk(unit, part);
            else if (convolution.Pieces == 1) convolution.BackwardChunk(unit, part);
            else convolution.BackwardPiece(unit / convolution.Pieces, unit % convolution.Pieces, part);
        }
    }

    // Buffers grow to the largest chunk seen and are then reused; a shorter one uses a prefix.
    private static Span<T> Buffer(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
        return buffer.AsSpan(0, length);
    }

    // The same for a buffer a product reads or writes: on a cache line.
    private static Span<T> Buffer(ref ArraySegment<T> buffer, int length)
    {
        if (buffer.Count < length) buffer = AlignedArrays.Allocate<T>(length);
        return buffer.AsSpan(0, length);
    }
}
