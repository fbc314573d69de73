using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// Runs a transposed convolution's passes (for <see cref="ConvTranspose2D{T}"/>) as matrix multiplies and the
/// im2col fold/unfold of <see cref="Im2Col"/>: the transposed convolution is the input-gradient pass of the ordinary
/// convolution whose window maps its output back onto its input, so the same kernels serve it.
/// </summary>
/// <remarks>
/// <para>With X <c>[Cin, count·H·W]</c> (the chunk's samples side by side) and W viewed as <c>[Cin, K]</c>,
/// K = Cout·kH·kW: forward Ŷ = Wᵀ·X, y = fold(Ŷ) + b. Backward: D̂ = unfold(dY) <c>[K, count·H·W]</c>,
/// dX = W·D̂, dW += X·D̂ᵀ, db += Σ dY.</para>
/// <para>Chunks of samples run one after another on the calling thread and their weight gradients are added in chunk
/// order; each product may use the worker team, which gives the same bits whatever the thread count. Chunking depends
/// on the shapes only. Not thread-safe: one per layer object.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class TransposedConvolution<T> : IConvolutionPasses<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _inChannels, _outChannels;
    private readonly Window2D _window;
    // On cache lines (AlignedArrays), as a tensor's elements are: the products read and write them in place.
    private ArraySegment<T> _samples = ArraySegment<T>.Empty, _columns = ArraySegment<T>.Empty, _product = ArraySegment<T>.Empty;

    /// <summary>Prepares a transposed convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> over <paramref name="window"/>.</summary>
    public TransposedConvolution(int inChannels, int outChannels, Window2D window) =>
        (_inChannels, _outChannels, _window) = (inChannels, outChannels, window);

    /// <summary>
    /// About how many elements of the column matrix one product covers: 2²⁰ (4 MB of float), so that the weight gradient's
    /// product sums over many samples at once. At 2¹⁶, as a convolution chunks its unfolded input, a DCGAN-sized layer (64 → 32
    /// channels, 7×7 → 14×14, 4×4 kernel, batch 64) ran two samples a chunk: 32 weight-gradient products over k = 98, each
    /// reading and writing the whole gradient, and its backward pass took 1.7–2.4× as long (benchmarks/README.md).
    /// </summary>
    public int ChunkElements { get; set; } = 1 << 20;

    private int ColumnRows => _outChannels * _window.KernelH * _window.KernelW;

    /// <summary>Computes y <c>[N, Cout, outH, outW]</c> from x <c>[N, Cin, H, W]</c>, both checked by the layer.</summary>
    public void Forward(Tensor<T> input, ArraySegment<T> weight, ArraySegment<T> bias, Tensor<T> output)
    {
        int batch = input.BatchSize(), height = (int)input.Lengths[2], width = (int)input.Lengths[3];
        int outH = (int)output.Lengths[2], outW = (int)output.Lengths[3], plane = height * width, outPlane = outH * outW;
        int chunk = ChunkSize(batch, plane);
        ReadOnlySpan<T> x = input.Span();
        Span<T> y = output.Span();
        for (int first = 0; first < batch; first += chunk)
        {
            int count = Math.Min(chunk, batch - first), span = count * plane;
            var samples = Gather(x, first, count, _inChannels, plane);
            // Ŷ[K, count·H·W] = Wᵀ · X, W stored [Cin, K]
            var columns = Buffer(ref _columns, ColumnRows * span);
            MatrixMultiply.Compute<T>(weight, true, samples, false, columns, ColumnRows, span, _inChannels, accumulate: false);
            for (int n = 0; n < count; n++)
            {
                var image = y.Slice((first + n) * _outChannels * outPlane, _outChannels * outPlane);
                // Each output starts at its bias, or at +0 without one, and the stamps are added to it.
                for (int o = 0; o < _outChannels; o++) image.Slice(o * outPlane, outPlane).Fill(bias.Count == 0 ? T.Zero : bias[o]);
                Im2Col.FoldAdd<T>(columns[(n * plane)..], span, _outChannels, outH, outW, _window, height, width, image);
            }
        }
    }

    /// <summary>
    /// Adds dW and db (dW written over when <paramref name="accumulate"/> is false) and, when <paramref name="inputGradient"/>
    /// is given, writes dX.
    /// </summary>
    public void Backward(Tensor<T> input, Tensor<T> outputGradient, ArraySegment<T> weight, Span<T> weightGradient, bool accumulate,
        Span<T> biasGradient, Tensor<T>? inputGradient)
    {
        int batch = input.BatchSize(), height = (int)input.Lengths[2], width = (int)input.Lengths[3];
        int outH = (int)outputGradient.Lengths[2], outW = (int)outputGradient.Lengths[3], plane = height * width, outPlane = outH * outW;
        int chunk = ChunkSize(batch, plane);
        ReadOnlySpan<T> x = input.Span(), dy = outputGradient.Span();
        for (int first = 0; first < batch; first += chunk)
        {
            int count = Math.Min(chunk, batch - first), span = count * plane;
            // D̂[K, count·H·W]: the output gradient unfolded over the window that maps the output back onto the input.
            var columns = Buffer(ref _columns, ColumnRows * span);
            for (int n = 0; n < count; n++)
                Im2Col.Unfold(dy.Slice((first + n) * _outChannels * outPlane, _outChannels * outPlane), _outChannels, outH, outW, _window,
                    height, width, columns[(n * plane)..], span);
            var samples = Gather(x, first, count, _inChannels, plane);
            // dW[Cin, K] (+)= X · D̂ᵀ, chunk after chunk
            MatrixMultiply.Compute<T>(samples, false, columns, true, weightGradient, _inChannels, ColumnRows, span,
                accumulate: accumulate || first > 0);
            // db += Σ dY, only for a layer with a bias (an empty biasGradient without).
            for (int n = 0; n < count && !biasGradient.IsEmpty; n++)
                for (int o = 0; o < _outChannels; o++)
                    biasGradient[o] += FixedSum.Sum<T>(dy.Slice(((first + n) * _outChannels + o) * outPlane, outPlane));
            if (inputGradient is null) continue;
            // dX[Cin, count·H·W] = W · D̂, scattered back to NCHW
            var product = Buffer(ref _product, _inChannels * span);
            MatrixMultiply.Compute<T>(weight, false, columns, false, product, _inChannels, span, ColumnRows, accumulate: false);
            Span<T> dx = inputGradient.Span();
            for (int n = 0; n < count; n++)
                for (int c = 0; c < _inChannels; c++)
                    product.Slice(c * span + n * plane, plane).CopyTo(dx.Slice(((first + n) * _inChannels + c) * plane, plane));
        }
    }

    private int ChunkSize(int batch, int plane) => Math.Max(1, Math.Min(batch, ChunkElements / Math.Max(1, ColumnRows * plane)));

    /// <summary>Samples [first, first + count) of an NCHW tensor as a matrix [channels, count·plane].</summary>
    private Span<T> Gather(ReadOnlySpan<T> source, int first, int count, int channels, int plane)
    {
        int span = count * plane;
        var matrix = Buffer(ref _samples, channels * span);
        for (int n = 0; n < count; n++)
            for (int c = 0; c < channels; c++)
                source.Slice(((first + n) * channels + c) * plane, plane).CopyTo(matrix.Slice(c * span + n * plane, plane));
        return matrix;
    }

    // Buffers grow to the largest chunk seen and are then reused.
    private static Span<T> Buffer(ref ArraySegment<T> buffer, int length)
    {
        if (buffer.Count < length) buffer = AlignedArrays.Allocate<T>(length);
        return buffer.AsSpan(0, length);
    }
}
