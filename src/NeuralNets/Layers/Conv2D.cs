using System.Globalization;
using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Initialization;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// A 2-D convolution over NCHW images: the same <c>Cout</c> filters slide over every patch of the
/// image. Weight <c>[Cout, Cin, kH, kW]</c> and bias <c>[Cout]</c>, as PyTorch's <c>nn.Conv2d</c>; without a bias
/// (<c>bias: false</c>, PyTorch's <c>bias=False</c>, as before a batch normalisation) the weight is the only parameter.
/// With <c>groups</c> G (PyTorch's <c>groups</c>) the channels split into G groups convolved apart, the weight
/// <c>[Cout, Cin/G, kH, kW]</c>; G = Cin is a depthwise convolution (MobileNet's, before a 1×1 one).
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
/// <para>Grouped: output channel o of group g = o / (Cout/G) sums over that group's input channels only,
/// <c>y[n, o, r, q] = b[o] + Σ_{c &lt; Cin/G} Σ_i Σ_j w[o, c, i, j] · x[n, g·Cin/G + c, …]</c>; each group runs the same passes
/// on its slice of the channels, weight rows and bias.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Conv2D<T> : ILayer<T>, IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Window2D _window;
    private readonly Im2ColConvolution<T> _convolution;         // groups = 1: the whole convolution; else group 0's
    private readonly Im2ColConvolution<T>[] _convolutions;      // one per group
    private readonly GroupedConvolution<T>? _grouped;           // null for groups = 1
    private readonly DepthwiseConvolution<T>? _depthwise;       // groups = Cin > 1: the direct path, in place of _grouped
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private int _outH, _outW;

    /// <summary>Creates a convolution with a square kernel, weights drawn by <paramref name="init"/> from <paramref name="seed"/> and zero bias.</summary>
    /// <param name="inChannels">Channels of the input image (Cin).</param>
    /// <param name="outChannels">Number of filters, the output channels (Cout).</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="seed">Seed of the weights.</param>
    /// <param name="stride">Step between patches, in both directions.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="init">Weight initialisation; fan-in is Cin/G·kH·kW.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    /// <param name="groups">Groups the channels split into, convolved apart (PyTorch's <c>groups</c>); Cin and Cout must be multiples of it.</param>
    public Conv2D(int inChannels, int outChannels, int kernel, int seed, int stride = 1, int padding = 0, WeightInit init = WeightInit.HeUniform,
        bool bias = true, int groups = 1)
        : this(inChannels, outChannels, (kernel, kernel), new Random(seed), (stride, stride), (padding, padding), init, bias, groups) { }

    /// <summary>Creates a convolution with a square kernel, weights drawn by <paramref name="init"/> from <paramref name="random"/> and zero bias.</summary>
    /// <param name="inChannels">Channels of the input image (Cin).</param>
    /// <param name="outChannels">Number of filters, the output channels (Cout).</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="random">Source of the weights.</param>
    /// <param name="stride">Step between patches, in both directions.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="init">Weight initialisation; fan-in is Cin/G·kH·kW.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    /// <param name="groups">Groups the channels split into, convolved apart (PyTorch's <c>groups</c>); Cin and Cout must be multiples of it.</param>
    public Conv2D(int inChannels, int outChannels, int kernel, Random random, int stride = 1, int padding = 0, WeightInit init = WeightInit.HeUniform,
        bool bias = true, int groups = 1)
        : this(inChannels, outChannels, (kernel, kernel), random, (stride, stride), (padding, padding), init, bias, groups) { }

    /// <summary>Creates a convolution with a rectangular kernel, stride and padding given as (height, width).</summary>
    /// <param name="inChannels">Channels of the input image (Cin).</param>
    /// <param name="outChannels">Number of filters, the output channels (Cout).</param>
    /// <param name="kernel">Kernel (height, width).</param>
    /// <param name="random">Source of the weights.</param>
    /// <param name="stride">Step between patches (height, width); (1, 1) when null.</param>
    /// <param name="padding">Zeros added above and below, left and right; (0, 0) when null.</param>
    /// <param name="init">Weight initialisation; fan-in is Cin/G·kH·kW.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    /// <param name="groups">Groups the channels split into, convolved apart (PyTorch's <c>groups</c>); Cin and Cout must be multiples of it.</param>
    public Conv2D(int inChannels, int outChannels, (int Height, int Width) kernel, Random random,
        (int Height, int Width)? stride = null, (int Height, int Width)? padding = null, WeightInit init = WeightInit.HeUniform, bool bias = true,
        int groups = 1)
    {
        ArgumentRange.ThrowIfNegativeOrZero(inChannels);
        ArgumentRange.ThrowIfNegativeOrZero(outChannels);
        ArgumentNullException.ThrowIfNull(random);
        string name = string.Create(CultureInfo.InvariantCulture, $"Conv2D({inChannels} → {outChannels})");
        ChannelGroups.Check(name, inChannels, outChannels, groups);
        _window = Window2D.Create(name, kernel, stride ?? (1, 1), padding ?? (0, 0));
        InChannels = inChannels;
        OutChannels = outChannels;
        Groups = groups;
        Weight = new Parameter<T>("weight", outChannels, inChannels / groups, kernel.Height, kernel.Width);
        Bias = bias ? new Parameter<T>("bias", outChannels) : null;
        int area = kernel.Height * kernel.Width;
        // PyTorch's fan-in and fan-out of the weight [Cout, Cin/G, kH, kW]: its dimensions 1 and 0 times the kernel's area.
        WeightInitializer.Fill(Weight.ValueSpan, init, inChannels / groups * area, outChannels * area, random);
        Parameters = Bias is null ? [Weight] : [Weight, Bias];
        (_convolutions, _grouped) = GroupedConvolution<T>.Create(InChannels, OutChannels, Groups, (cin, cout) => new Im2ColConvolution<T>(cin, cout, _window));
        _convolution = _convolutions[0];
        _depthwise = Groups > 1 && Groups == InChannels ? new DepthwiseConvolution<T>(InChannels, OutChannels, _window) : null;
    }

    // An inference copy: the same parameter objects and settings, buffers of its own.
    private Conv2D(Conv2D<T> source)
    {
        (_window, InChannels, OutChannels, Groups, Weight, Bias) = (source._window, source.InChannels, source.OutChannels, source.Groups, source.Weight, source.Bias);
        Parameters = source.Parameters;
        (_convolutions, _grouped) = GroupedConvolution<T>.Create(InChannels, OutChannels, Groups, (cin, cout) => new Im2ColConvolution<T>(cin, cout, _window));
        _convolution = _convolutions[0];
        _depthwise = Groups > 1 && Groups == InChannels ? new DepthwiseConvolution<T>(InChannels, OutChannels, _window) : null;
        foreach (var convolution in _convolutions)
        {
            (convolution.ChunkElements, convolution.MaxParts, convolution.AllowDirect, convolution.ForcedChoice) =
                (source.ChunkElements, source.MaxParts, source.AllowDirect, source.ForcedChoice);
            (convolution.ForcedInputGradientChoice, convolution.AllowSplitBackward, convolution.AllowOrderedSums) =
                (source.ForcedInputGradientChoice, source.AllowSplitBackward, source.AllowOrderedSums);
        }
    }

    /// <inheritdoc/>
    public ILayer<T> CreateInferenceCopy() => new Conv2D<T>(this);

    /// <summary>Input channels (Cin).</summary>
    public int InChannels { get; }

    /// <summary>Output channels, the number of filters (Cout).</summary>
    public int OutChannels { get; }

    /// <summary>Groups the channels split into, convolved apart (PyTorch's <c>groups</c>; 1: an ordinary convolution, Cin: a depthwise one).</summary>
    public int Groups { get; }

    /// <summary>Kernel (height, width).</summary>
    public (int Height, int Width) Kernel => (_window.KernelH, _window.KernelW);

    /// <summary>Stride (height, width).</summary>
    public (int Height, int Width) Stride => (_window.StrideH, _window.StrideW);

    /// <summary>Zero padding (height, width), added on both sides.</summary>
    public (int Height, int Width) Padding => (_window.PadH, _window.PadW);

    /// <summary>The filters, shape <c>[Cout, Cin/G, kH, kW]</c> (<c>[Cout, Cin, kH, kW]</c> ungrouped).</summary>
    public Parameter<T> Weight { get; }

    /// <summary>The bias, one per filter, shape <c>[Cout]</c>, or null for a layer without one (<see cref="HasBias"/>).</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>Whether the layer has a bias (PyTorch's <c>bias</c>).</summary>
    public bool HasBias => Bias is not null;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>About how many elements of X̂ one product covers (see <see cref="Im2ColConvolution{T}"/>); tests lower it to exercise chunking.</summary>
    internal int ChunkElements
    {
        get => _convolution.ChunkElements;
        init { foreach (var convolution in _convolutions) convolution.ChunkElements = value; }
    }

    /// <summary>Most parts the work is split into (0: one per helper thread); results do not depend on it, tests set it to show that.</summary>
    internal int MaxParts
    {
        get => _convolution.MaxParts;
        init { foreach (var convolution in _convolutions) convolution.MaxParts = value; }
    }

    /// <summary>Whether a backward pass with fewer chunks of samples than threads may split its chunks (the same bits either way); benchmarks turn it off to compare.</summary>
    internal bool AllowSplitBackward
    {
        get => _convolution.AllowSplitBackward;
        init { foreach (var convolution in _convolutions) convolution.AllowSplitBackward = value; }
    }

    /// <summary>Whether the forward pass may run without unfolding where that gives the same bits; tests turn it off to compare the two paths.</summary>
    internal bool AllowDirect
    {
        get => _convolution.AllowDirect;
        init { foreach (var convolution in _convolutions) convolution.AllowDirect = value; }
    }

    /// <summary>Tests: always (true) or never (false) the direct forward pass and gathered fold; null: this machine's faster (the same bits either way).</summary>
    internal bool? ForcedChoice
    {
        get => _convolution.ForcedChoice;
        init { foreach (var convolution in _convolutions) convolution.ForcedChoice = value; }
    }

    /// <summary>Tests: always (true) or never (false) the direct input gradient where it applies; null: this machine's faster (the same bits either way).</summary>
    internal bool? ForcedInputGradientChoice
    {
        get => _convolution.ForcedInputGradientChoice;
        init { foreach (var convolution in _convolutions) convolution.ForcedInputGradientChoice = value; }
    }

    /// <summary>Whether a direct weight gradient's chunks may be added up as they finish (the same bits either way); tests and benchmarks turn it off to compare.</summary>
    internal bool AllowOrderedSums
    {
        get => _convolution.AllowOrderedSums;
        init { foreach (var convolution in _convolutions) convolution.AllowOrderedSums = value; }
    }

    /// <summary>Tests: every chunk's weight gradient copied aside before it is added up, as when chunks finish out of turn.</summary>
    internal bool SetsEveryChunkAside
    {
        get => _convolution.SetsEveryChunkAside;
        init { foreach (var convolution in _convolutions) convolution.SetsEveryChunkAside = value; }
    }

    /// <summary>Whether the last backward pass added its chunks' weight gradients up as they finished (for tests).</summary>
    internal bool LastBackwardSummedInOrder => _convolution.LastBackwardSummedInOrder;

    /// <summary>Whether the last backward pass computed the input gradient without the column gradient (for tests).</summary>
    internal bool LastInputGradientWasDirect => _convolution.LastInputGradientWasDirect;

    /// <summary>How many pieces each chunk of samples of the last backward pass was split into across the team (1: none; for tests and benchmarks).</summary>
    internal int LastBackwardPieces => _convolution.LastBackwardPieces;

    /// <summary>The choices this machine's timings made for the last pass's shape (null: still timing, or not applicable).</summary>
    internal (bool? DirectForward, bool? GatheredFold, bool? DirectInputGradient) Choices => _convolution.Choices;

    // y[n, o] = b[o] + Σ_c Σ_i Σ_j w[o, c, i, j] · x[n, c, r·sH − pH + i, q·sW − pW + j], as Y = W·X̂ + b over unfolded patches
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Lengths[1] != InChannels)
            throw PassShapes.NotImages(this, InChannels, input);
        int batch = input.BatchSize(), height = (int)input.Lengths[2], width = (int)input.Lengths[3];
        if (!_window.Fits(height, width)) throw WindowDoesNotFit(input, height, width);
        (_outH, _outW) = (_window.OutputHeight(height), _window.OutputWidth(width));
        _input = input;
        var output = _output.Get(batch, [OutChannels, _outH, _outW]);
        if (_depthwise is not null) _depthwise.Forward(input, Weight.ValueSegment, LayerBias.Values(Bias), output);
        else if (_grouped is null) _convolution.Forward(input, Weight.ValueSegment, LayerBias.Values(Bias), output);
        else _grouped.Forward(input, Weight.ValueSegment, LayerBias.Values(Bias), output);
        return output;
    }

    // dW += dY·X̂ᵀ ; db += Σ dY over samples and positions ; dX = fold(Wᵀ·dY), overlapping patches summing their gradients
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient) => Backward(outputGradient, inputGradient: true)!;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    void IParameterGradientOnly<T>.BackwardToParameters(Tensor<T> outputGradient) => Backward(outputGradient, inputGradient: false);

    // Not inlined: the backward pass and BackwardToParameters, each compiled fully optimised, would otherwise each compile this whole body.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private Tensor<T>? Backward(Tensor<T> outputGradient, bool inputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        int batch = input.BatchSize();
        if (outputGradient.Rank != 4 || outputGradient.Lengths[0] != batch || outputGradient.Lengths[1] != OutChannels
            || outputGradient.Lengths[2] != _outH || outputGradient.Lengths[3] != _outW)
            throw PassShapes.GradientNot(this, outputGradient, batch, OutChannels, _outH, _outW);
        var dx = inputGradient ? _inputGradient.GetLike(input) : null;
        // A weight gradient pending zero is overwritten rather than cleared and added to.
        var dW = Weight.GradientForBackward(out bool accumulate);
        if (_depthwise is not null) _depthwise.Backward(input, outputGradient, Weight.ValueSegment, dW, accumulate, LayerBias.Gradient(Bias), dx);
        else if (_grouped is null) _convolution.Backward(input, outputGradient, Weight.ValueSegment, dW, accumulate, LayerBias.Gradient(Bias), dx);
        else _grouped.Backward(outputGradient, Weight.ValueSegment, dW, accumulate, LayerBias.Gradient(Bias), dx);
        return dx;
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        string expected = string.Create(CultureInfo.InvariantCulture, $"[{InChannels}, H, W]");
        if (inputShape.Count != 3 || inputShape[0] != InChannels)
            throw new ShapeMismatchException(ToString(), expected, inputShape,
                inputShape.Count == 2 ? string.Create(CultureInfo.InvariantCulture, $"give images a channel dimension, e.g. [1, {inputShape[0]}, {inputShape[1]}]") : null);
        if (!_window.Fits(inputShape[1], inputShape[2])) throw _window.DoesNotFit(this, expected, inputShape[1], inputShape[2], inputShape);
        return [OutChannels, _window.OutputHeight(inputShape[1]), _window.OutputWidth(inputShape[2])];
    }

    /// <inheritdoc/>
    public LayerDescription Describe()
    {
        var settings = new Dictionary<string, double> { ["inChannels"] = InChannels, ["outChannels"] = OutChannels };
        _window.Describe(settings);
        LayerBias.Describe(settings, HasBias);
        ChannelGroups.Describe(settings, Groups);
        return new LayerDescription("Conv2D", settings);
    }

    /// <summary>
    /// Prints like <c>Conv2D(1 → 6, 5×5, stride 1, padding 2)</c>, <c>Conv2D(1 → 6, 5×5, stride 1, padding 2, no bias)</c>
    /// or <c>Conv2D(8 → 8, 3×3, stride 1, padding 1, groups 8)</c>.
    /// </summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"Conv2D({InChannels} → {OutChannels}, {_window.Text(showPadding: true)}{ChannelGroups.Text(Groups)}{LayerBias.Text(HasBias)})");

    // Built apart, so that the pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ShapeMismatchException WindowDoesNotFit(Tensor<T> input, int height, int width) =>
        _window.DoesNotFit(this, string.Create(CultureInfo.InvariantCulture, $"[N, {InChannels}, H, W]"), height, width, input.Shape());
}
