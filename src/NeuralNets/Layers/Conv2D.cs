using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Initialization;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// A 2-D convolution over NCHW images: the same <c>Cout</c> filters slide over every patch of the
/// image. Weight <c>[Cout, Cin, kH, kW]</c> and bias <c>[Cout]</c>, as PyTorch's <c>nn.Conv2d</c>.
/// </summary>
/// <remarks>
/// <para>It computes the cross-correlation PyTorch calls convolution, with zero padding p and stride s:
/// <c>y[n, o, r, q] = b[o] + Σ_c Σ_i Σ_j w[o, c, i, j] · x[n, c, r·sH − pH + i, q·sW − pW + j]</c>,
/// where x is 0 outside the image; the output is <c>⌊(H + 2p − k)/s⌋ + 1</c> high (likewise wide).</para>
/// <para>Every image of the batch is unfolded into columns (im2col), side by side in
/// X̂ <c>[Cin·kH·kW, N·outH·outW]</c>, and the forward pass is one matrix multiply <c>Y = W·X̂ + b</c>.
/// Backward: <c>dW += dY·X̂ᵀ</c>, <c>db += Σ dY</c> over samples and positions, and
/// <c>dX = fold(Wᵀ·dY)</c>, where fold adds every column entry back onto the pixel it came from,
/// so overlapping patches sum their gradients.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Conv2D<T> : ILayer<T>, IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Window2D _window;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private Scratch[] _scratch = [];       // one set of buffers per part of the team
    private T[] _chunkGradients = [];      // per chunk of samples: its dW, then its db
    private readonly ChunkJob _forwardJob, _backwardJob;
    private bool _columnsHoldBatch;    // whether part 0's columns still hold X̂ of the whole last forward batch
    private int _batch, _chunk, _chunks, _parts, _height, _width;
    private Tensor<T>? _passOutput, _passOutputGradient, _passInputGradient;
    private int _outH, _outW;

    /// <summary>Creates a convolution with a square kernel, weights drawn by <paramref name="init"/> from <paramref name="seed"/> and zero bias.</summary>
    /// <param name="inChannels">Channels of the input image (Cin).</param>
    /// <param name="outChannels">Number of filters, the output channels (Cout).</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="seed">Seed of the weights.</param>
    /// <param name="stride">Step between patches, in both directions.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="init">Weight initialisation; fan-in is Cin·kH·kW.</param>
    public Conv2D(int inChannels, int outChannels, int kernel, int seed, int stride = 1, int padding = 0, WeightInit init = WeightInit.HeUniform)
        : this(inChannels, outChannels, (kernel, kernel), new Random(seed), (stride, stride), (padding, padding), init) { }

    /// <summary>Creates a convolution with a square kernel, weights drawn by <paramref name="init"/> from <paramref name="random"/> and zero bias.</summary>
    /// <param name="inChannels">Channels of the input image (Cin).</param>
    /// <param name="outChannels">Number of filters, the output channels (Cout).</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="random">Source of the weights.</param>
    /// <param name="stride">Step between patches, in both directions.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="init">Weight initialisation; fan-in is Cin·kH·kW.</param>
    public Conv2D(int inChannels, int outChannels, int kernel, Random random, int stride = 1, int padding = 0, WeightInit init = WeightInit.HeUniform)
        : this(inChannels, outChannels, (kernel, kernel), random, (stride, stride), (padding, padding), init) { }

    /// <summary>Creates a convolution with a rectangular kernel, stride and padding given as (height, width).</summary>
    /// <param name="inChannels">Channels of the input image (Cin).</param>
    /// <param name="outChannels">Number of filters, the output channels (Cout).</param>
    /// <param name="kernel">Kernel (height, width).</param>
    /// <param name="random">Source of the weights.</param>
    /// <param name="stride">Step between patches (height, width); (1, 1) when null.</param>
    /// <param name="padding">Zeros added above and below, left and right; (0, 0) when null.</param>
    /// <param name="init">Weight initialisation; fan-in is Cin·kH·kW.</param>
    public Conv2D(int inChannels, int outChannels, (int Height, int Width) kernel, Random random,
        (int Height, int Width)? stride = null, (int Height, int Width)? padding = null, WeightInit init = WeightInit.HeUniform)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentNullException.ThrowIfNull(random);
        _window = Window2D.Create($"Conv2D({inChannels} → {outChannels})", kernel, stride ?? (1, 1), padding ?? (0, 0));
        InChannels = inChannels;
        OutChannels = outChannels;
        Weight = new Parameter<T>("weight", outChannels, inChannels, kernel.Height, kernel.Width);
        Bias = new Parameter<T>("bias", outChannels);
        int area = kernel.Height * kernel.Width;
        WeightInitializer.Fill(Weight.ValueSpan, init, inChannels * area, outChannels * area, random);
        Parameters = [Weight, Bias];
        _forwardJob = new ChunkJob(this, forward: true);
        _backwardJob = new ChunkJob(this, forward: false);
    }

    // An inference copy: the same parameter objects and settings, buffers and jobs of its own.
    private Conv2D(Conv2D<T> source)
    {
        (_window, InChannels, OutChannels, Weight, Bias) = (source._window, source.InChannels, source.OutChannels, source.Weight, source.Bias);
        Parameters = source.Parameters;
        (ChunkElements, MaxParts) = (source.ChunkElements, source.MaxParts);
        _forwardJob = new ChunkJob(this, forward: true);
        _backwardJob = new ChunkJob(this, forward: false);
    }

    /// <inheritdoc/>
    public ILayer<T> CreateInferenceCopy() => new Conv2D<T>(this);

    /// <summary>Input channels (Cin).</summary>
    public int InChannels { get; }

    /// <summary>Output channels, the number of filters (Cout).</summary>
    public int OutChannels { get; }

    /// <summary>Kernel (height, width).</summary>
    public (int Height, int Width) Kernel => (_window.KernelH, _window.KernelW);

    /// <summary>Stride (height, width).</summary>
    public (int Height, int Width) Stride => (_window.StrideH, _window.StrideW);

    /// <summary>Zero padding (height, width), added on both sides.</summary>
    public (int Height, int Width) Padding => (_window.PadH, _window.PadW);

    /// <summary>The filters, shape <c>[Cout, Cin, kH, kW]</c>.</summary>
    public Parameter<T> Weight { get; }

    /// <summary>The bias, one per filter, shape <c>[Cout]</c>.</summary>
    public Parameter<T> Bias { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>
    /// About how many elements of X̂ one product covers (default 2¹⁶); a batch is cut into chunks of whole
    /// samples so that a large inference batch needs no huge buffer. Tests lower it to exercise chunking.
    /// </summary>
    /// <remarks>Small enough that a chunk's X̂ stays in the core's L2 cache between the unfold that writes
    /// it and the product that reads it: with 2²¹ elements (8 MB) both went to memory, and the first
    /// convolution of a LeNet step spent more time moving X̂ than multiplying.</remarks>
    internal int ChunkElements { get; init; } = 1 << 16;

    private int ColumnRows => InChannels * _window.KernelH * _window.KernelW;

    /// <inheritdoc/>
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Lengths[1] != InChannels)
            throw new ShapeMismatchException(ToString(), $"[N, {InChannels}, H, W]", input.Shape());
        int batch = input.BatchSize(), height = (int)input.Lengths[2], width = (int)input.Lengths[3];
        if (!_window.Fits(height, width)) throw _window.DoesNotFit(this, $"[N, {InChannels}, H, W]", height, width, input.Shape());
        (_outH, _outW) = (_window.OutputHeight(height), _window.OutputWidth(width));
        _input = input;
        StartPass(batch, height, width);
        var output = _output.Get(batch, [OutChannels, _outH, _outW]);
        _passOutput = output;
        _columnsHoldBatch = false;
        try
        {
            _forwardJob.Run(_chunks);
        }
        finally
        {
            _passOutput = null;
        }
        _columnsHoldBatch = _chunks == 1;
        return output;
    }

    /// <inheritdoc/>
    public Tensor<T> Backward(Tensor<T> outputGradient) => Backward(outputGradient, inputGradient: true)!;

    /// <inheritdoc/>
    void IParameterGradientOnly<T>.BackwardToParameters(Tensor<T> outputGradient) => Backward(outputGradient, inputGradient: false);

    private Tensor<T>? Backward(Tensor<T> outputGradient, bool inputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward called before Forward.");
        int batch = input.BatchSize(), height = (int)input.Lengths[2], width = (int)input.Lengths[3];
        if (outputGradient.Rank != 4 || outputGradient.Lengths[0] != batch || outputGradient.Lengths[1] != OutChannels
            || outputGradient.Lengths[2] != _outH || outputGradient.Lengths[3] != _outW)
            throw new ShapeMismatchException(ToString() + " (backward)", $"[{batch}, {OutChannels}, {_outH}, {_outW}]", outputGradient.Shape());
        StartPass(batch, height, width);
        int weightLength = Weight.Length, stride = weightLength + OutChannels;
        var chunkGradients = Buffer(ref _chunkGradients, _chunks * stride);
        _passOutputGradient = outputGradient;
        _passInputGradient = inputGradient ? _inputGradient.GetLike(input) : null;
        var dxTensor = _passInputGradient;
        try
        {
            _backwardJob.Run(_chunks);
        }
        finally
        {
            _passOutputGradient = null;
            _passInputGradient = null;
        }

        // The chunks' gradients are added in chunk order, whichever thread computed each: the sums do not depend on the threads.
        var dW = Weight.GradientForBackward(out bool accumulate);
        Span<T> dBias = Bias.GradientSpan;
        for (int c = 0; c < _chunks; c++)
        {
            var chunkWeight = chunkGradients.Slice(c * stride, weightLength);
            if (c == 0 && !accumulate) chunkWeight.CopyTo(dW);
            else TensorPrimitives.Add(dW, chunkWeight, dW);
            TensorPrimitives.Add(dBias, chunkGradients.Slice(c * stride + weightLength, OutChannels), dBias);
        }
        return dxTensor;
    }

    /// <summary>
    /// Most parts the chunks of samples are split into (0: one per thread of the team). Results do not
    /// depend on it; tests set it to show that.
    /// </summary>
    internal int MaxParts { get; init; }

    /// <summary>Sets the chunking of a pass over <paramref name="batch"/> samples and makes sure every part has its buffers.</summary>
    private void StartPass(int batch, int height, int width)
    {
        (_batch, _height, _width) = (batch, height, width);
        _chunk = ChunkSamples(batch, _outH * _outW);
        _chunks = (batch + _chunk - 1) / _chunk;
        _parts = Math.Min(_chunks, MaxParts == 0 ? WorkerTeam.Size : MaxParts);
        int parts = _parts;
        if (_scratch.Length < parts)
        {
            var grown = new Scratch[parts];
            _scratch.CopyTo(grown, 0);
            for (int i = _scratch.Length; i < parts; i++) grown[i] = new Scratch();
            _scratch = grown;
        }
    }

    // A chunk's own product runs on its part's thread; only a pass of one chunk (one large image) splits its product.
    private int ProductThreads => _chunks == 1 ? 0 : 1;

    /// <summary>The forward pass over one chunk of samples: unfold, multiply, add the bias, back to NCHW.</summary>
    private void ForwardChunk(int chunkIndex, int part)
    {
        var scratch = _scratch[part];
        int first = chunkIndex * _chunk, count = Math.Min(_chunk, _batch - first), plane = _outH * _outW, span = count * plane;
        var columns = Unfold(scratch, _input!, first, count);
        // P[Cout, count·outH·outW] = W[Cout, K] · X̂[K, count·outH·outW]
        var product = Buffer(ref scratch.Product, OutChannels * span);
        MatrixMultiply.Compute<T>(Weight.ValueSpan, false, columns, false, product, OutChannels, span, ColumnRows, accumulate: false, maxThreads: ProductThreads);
        // y[n, o] = P[o, sample n] + b[o]
        Span<T> y = _passOutput!.Span();
        ReadOnlySpan<T> bias = Bias.ValueSpan;
        for (int n = 0; n < count; n++)
            for (int o = 0; o < OutChannels; o++)
                TensorPrimitives.Add(product.Slice(o * span + n * plane, plane), bias[o], y.Slice(((first + n) * OutChannels + o) * plane, plane));
    }

    /// <summary>The backward pass over one chunk of samples: its own dW and db, and its samples' dx.</summary>
    private void BackwardChunk(int chunkIndex, int part)
    {
        var scratch = _scratch[part];
        int rows = ColumnRows, plane = _outH * _outW, imageSize = InChannels * _height * _width;
        int first = chunkIndex * _chunk, count = Math.Min(_chunk, _batch - first), span = count * plane;
        // X̂ is still there when the forward pass fit in one chunk; otherwise unfold it again (cheap next to the products).
        var columns = _columnsHoldBatch ? scratch.Columns.AsSpan(0, rows * span) : Unfold(scratch, _input!, first, count);

        // dY as [Cout, count·outH·outW], the layout of the forward product.
        ReadOnlySpan<T> dy = _passOutputGradient!.Span();
        var dyMatrix = Buffer(ref scratch.Product, OutChannels * span);
        for (int n = 0; n < count; n++)
            for (int o = 0; o < OutChannels; o++)
                dy.Slice(((first + n) * OutChannels + o) * plane, plane).CopyTo(dyMatrix.Slice(o * span + n * plane, plane));

        // This chunk's dW[Cout, K] = dY · X̂ᵀ and db[o] = Σ dY[o, :], added up in chunk order by the caller.
        int weightLength = Weight.Length, stride = weightLength + OutChannels;
        var chunkWeight = _chunkGradients.AsSpan(chunkIndex * stride, weightLength);
        MatrixMultiply.Compute<T>(dyMatrix, false, columns, true, chunkWeight, OutChannels, rows, span, accumulate: false, maxThreads: ProductThreads);
        var chunkBias = _chunkGradients.AsSpan(chunkIndex * stride + weightLength, OutChannels);
        for (int o = 0; o < OutChannels; o++) chunkBias[o] = FixedSum.Sum<T>(dyMatrix.Slice(o * span, span));

        // dX̂ = Wᵀ · dY, each sample's block folded back onto the pixels it came from.
        if (_passInputGradient is not { } dxTensor) return;
        var dx = dxTensor.Span().Slice(first * imageSize, count * imageSize);
        dx.Clear();
        var columnGradient = Buffer(ref scratch.ColumnGradient, rows * span);
        MatrixMultiply.Compute<T>(Weight.ValueSpan, true, dyMatrix, false, columnGradient, rows, span, OutChannels, accumulate: false, maxThreads: ProductThreads);
        for (int n = 0; n < count; n++)
            Im2Col.FoldAdd<T>(columnGradient[(n * plane)..], span, InChannels, _height, _width, _window, _outH, _outW, dx.Slice(n * imageSize, imageSize));
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        string expected = $"[{InChannels}, H, W]";
        if (inputShape.Count != 3 || inputShape[0] != InChannels)
            throw new ShapeMismatchException(ToString(), expected, inputShape,
                inputShape.Count == 2 ? $"give images a channel dimension, e.g. [1, {inputShape[0]}, {inputShape[1]}]" : null);
        if (!_window.Fits(inputShape[1], inputShape[2])) throw _window.DoesNotFit(this, expected, inputShape[1], inputShape[2], inputShape);
        return [OutChannels, _window.OutputHeight(inputShape[1]), _window.OutputWidth(inputShape[2])];
    }

    /// <summary>X̂ of samples [first, first + count) into the part's columns buffer, side by side: [K, count·outH·outW].</summary>
    private Span<T> Unfold(Scratch scratch, Tensor<T> input, int first, int count)
    {
        int height = (int)input.Lengths[2], width = (int)input.Lengths[3], imageSize = InChannels * height * width;
        int plane = _outH * _outW, span = count * plane;
        var columns = Buffer(ref scratch.Columns, ColumnRows * span);
        ReadOnlySpan<T> x = input.Span();
        for (int n = 0; n < count; n++)
            Im2Col.Unfold(x.Slice((first + n) * imageSize, imageSize), InChannels, height, width, _window, _outH, _outW, columns[(n * plane)..], span);
        return columns;
    }

    /// <summary>One part's buffers; they grow to the largest chunk seen and are then reused.</summary>
    private sealed class Scratch
    {
        public T[] Columns = [];         // X̂ of a chunk of samples, [K, count·outH·outW]
        public T[] Product = [];         // W·X̂ in the forward pass, dY rearranged in the backward
        public T[] ColumnGradient = [];  // Wᵀ·dY, [K, count·outH·outW]
    }

    /// <summary>A pass over the chunks of samples, split across the team: chunks are independent.</summary>
    private sealed class ChunkJob(Conv2D<T> layer, bool forward) : UnitsWork
    {
        public void Run(int chunks) => RunUnits(chunks, layer._parts);

        protected override void RunUnit(int unit, int part)
        {
            if (forward) layer.ForwardChunk(unit, part);
            else layer.BackwardChunk(unit, part);
        }
    }

    // Samples per product. It depends on the shapes only, so results do not depend on anything else.
    private int ChunkSamples(int batch, int plane) => Math.Max(1, Math.Min(batch, ChunkElements / (ColumnRows * plane)));

    // Buffers grow to the largest chunk seen and are then reused; a shorter one uses a prefix.
    private static Span<T> Buffer(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
        return buffer.AsSpan(0, length);
    }

    /// <inheritdoc/>
    public LayerDescription Describe()
    {
        var settings = new Dictionary<string, double> { ["inChannels"] = InChannels, ["outChannels"] = OutChannels };
        _window.Describe(settings);
        return new LayerDescription("Conv2D", settings);
    }

    /// <summary>Prints like <c>Conv2D(1 → 6, 5×5, stride 1, padding 2)</c>.</summary>
    public override string ToString() => $"Conv2D({InChannels} → {OutChannels}, {_window.Text(showPadding: true)})";
}
