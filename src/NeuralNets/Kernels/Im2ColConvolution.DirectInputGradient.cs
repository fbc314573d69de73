using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// The input gradient of a stride-1 float convolution without the column gradient: straight from a zero-padded copy of dY,
/// as a convolution whose taps are (i, j, o) and whose k-blocks are one tap (i, j) each.
/// </summary>
/// <remarks>
/// <para>The unfolded path computes dX̂ = Wᵀ·dY, each element one chain of multiply-adds over the output channels o from
/// zero (the packed product's k is Cout, one k-block up to <see cref="GemmPacked.MaxKBlock"/>), then the fold adds, onto a
/// zero start, the taps (i, j) that land on a pixel in (i, j) order. Pixel (y, x) of channel c takes tap (i, j) from output
/// position (y + pH − i, x + pW − j): in dY padded by kH − 1 − pH rows and kW − 1 − pW columns on each side, offset
/// (kH − 1 − i, kW − 1 − j) from the pixel. <see cref="DirectConvolution.ForwardRows"/> over that padded dY, with weights
/// <c>W'[c, (i, j, o)] = W[o, c, i, j]</c> and k-blocks of Cout taps, computes each tap's chain over o from zero and adds
/// the blocks' sums in (i, j) order: the same multiply-adds in the same order.</para>
/// <para>Where the two differ is only in zeros' signs, and the +0 bias added last settles those. A tap that falls outside
/// dY reads the padding: its chain is ±0 (finite weights) where the fold adds nothing. A fused chain whose products all
/// underflow ends at −0 where the fold, starting from +0, holds +0. Adding a signed zero to a sum leaves the sum unchanged
/// unless both are zeros, so the two running sums are equal in value, and differ at most in the sign of a zero, at every
/// tap; the bias's +0 then turns a final −0 into +0 (round to nearest gives −0 only for −0 + −0), as the fold's sum is. An
/// infinite or NaN weight times a padding zero would be NaN where the fold has no term, so such weights take the unfolded
/// path. Finite weights take the direct one however large (their sum may overflow, their products with dY too): a finite
/// weight times zero is ±0, which leaves an infinite or NaN running sum as it is. So dX is the unfolded path's bits at every width (NaNs' signs and payloads aside, which no path promises), and
/// the choice between the two is left to this machine's timings.</para>
/// <para>Why: the column gradient of a 32-channel 3×3 layer over 32×32 images is 1.2 MB a sample, written by the product
/// and read back by the fold; here neither happens (benchmarks/README.md).</para>
/// </remarks>
internal sealed partial class Im2ColConvolution<T>
{
    private readonly CalibratedChoice _inputGradientChoice = new();
    private bool _directInputGradient;
    private float[] _gradientWeights = [], _arrangedGradientWeights = [], _zeroBias = [];
    private int[] _gradientTapOffsets = [];
    private int _paddedGradientLength;

    /// <summary>Whether the last backward pass computed dX directly (for tests).</summary>
    public bool LastInputGradientWasDirect => _directInputGradient;

    /// <summary>Tests: always (true) or never (false) the direct input gradient where it applies; null: this machine's faster (the same bits).</summary>
    public bool? ForcedInputGradientChoice
    {
        get => _inputGradientChoice.Forced;
        set => _inputGradientChoice.Forced = value;
    }

    /// <summary>The window over dY that the direct input gradient slides: the kernel's, padded by kernel − 1 − padding.</summary>
    private Window2D GradientWindow
    {
        [MethodImpl(HotPath.Options)]
        get => new(_window.KernelH, _window.KernelW, 1, 1, _window.KernelH - 1 - _window.PadH, _window.KernelW - 1 - _window.PadW);
    }

    /// <summary>
    /// Whether this layer's input gradient can be computed directly for this pass's shape: stride 1, padding less than the
    /// kernel, a layer the direct kernel takes (float, vectors), and Cout in one k-block of the product it replaces.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private bool CanInputGradientDirect()
    {
        if (!AllowDirect || _window.StrideH != 1 || _window.StrideW != 1) return false;
        if (_window.PadH >= _window.KernelH || _window.PadW >= _window.KernelW || _outChannels > GemmPacked.MaxKBlock) return false;
        return DirectConvolution.Handles<T>(GradientWindow, _inChannels);
    }

    /// <summary>Whether every weight is finite, as the direct input gradient needs (see the type's remarks).</summary>
    [MethodImpl(HotPath.Options)]
    private bool WeightsAreFinite()
    {
        // All finite, in one vectorised pass: not TensorPrimitives.Sum(w) · 0 == 0, which ran at a scalar loop's speed here (benchmarks/README.md).
        return Elementwise.CopyAllFinite<float>(MemoryMarshal.Cast<T, float>(_weight.AsSpan()), Span<float>.Empty);
    }

    /// <summary>Rearranges this pass's weights as the direct input gradient reads them, and where its taps lie in padded dY.</summary>
    [MethodImpl(HotPath.Options)]
    private void PrepareDirectInputGradient()
    {
        int kh = _window.KernelH, kw = _window.KernelW, taps = kh * kw * _outChannels, window = kh * kw;
        var gradientWindow = GradientWindow;
        var weight = MemoryMarshal.Cast<T, float>(_weight.AsSpan());
        if (_gradientWeights.Length < _inChannels * taps) _gradientWeights = new float[_inChannels * taps];
        // Element (c, t, o) of the gradient's weights is W[o, c, t]: W as a [Cout, Cin·kH·kW] matrix, transposed.
        unsafe
        {
            fixed (float* source = weight)
            fixed (float* target = _gradientWeights)
                Transpose.Matrix(source, _outChannels, _inChannels * window, target);
        }
        int arranged = taps * DirectConvolution.RoundedChannels(_inChannels, _width, taps);
        if (_arrangedGradientWeights.Length < arranged) _arrangedGradientWeights = new float[arranged];
        DirectConvolution.ArrangeWeights(_gradientWeights.AsSpan(0, _inChannels * taps), _inChannels, taps, _width, _arrangedGradientWeights);
        if (_zeroBias.Length < _inChannels) _zeroBias = new float[_inChannels];

        // Tap (i, j, o) reads plane o of the padded dY at row kH − 1 − i and column kW − 1 − j of the window.
        if (_gradientTapOffsets.Length != taps) _gradientTapOffsets = new int[taps];
        int paddedH = _outH + 2 * gradientWindow.PadH, paddedW = _outW + 2 * gradientWindow.PadW;
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
                for (int o = 0; o < _outChannels; o++)
                    _gradientTapOffsets[(i * kw + j) * _outChannels + o] = (o * paddedH + kh - 1 - i) * paddedW + kw - 1 - j;
        _paddedGradientLength = DirectConvolution.PaddedLength(_outChannels, _outH, _outW, gradientWindow, _width);
    }

    /// <summary>Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of dX of a chunk's samples, written over <paramref name="dx"/> (see the type's remarks).</summary>
    [MethodImpl(HotPath.Options)]
    private void DirectInputGradient(Scratch scratch, int first, int count, Span<T> dx, int rowStart, int rowEnd)
    {
        int imageSize = _inChannels * _height * _width, outputSize = _outChannels * _outH * _outW;
        var gradientWindow = GradientWindow;
        if (scratch.PaddedGradient.Length < _paddedGradientLength) scratch.PaddedGradient = new float[_paddedGradientLength];
        var padded = scratch.PaddedGradient.AsSpan(0, _paddedGradientLength);
        var dy = MemoryMarshal.Cast<T, float>(_outputGradient!.Span());
        var target = MemoryMarshal.Cast<T, float>(dx);
        for (int n = 0; n < count; n++)
        {
            DirectConvolution.Pad(dy.Slice((first + n) * outputSize, outputSize), _outChannels, _outH, _outW, gradientWindow, padded);
            DirectConvolution.ForwardRows(padded, _outW + 2 * gradientWindow.PadW, _gradientTapOffsets, _arrangedGradientWeights, _zeroBias,
                _inChannels, _outChannels, target.Slice(n * imageSize, imageSize), _height, _width, rowStart, rowEnd);
        }
    }
}
