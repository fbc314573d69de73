using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Initialization;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// A 2-D transposed convolution over NCHW images (an "up-convolution"): every input pixel stamps its weighted kernel onto
/// the output, <c>stride</c> pixels apart. Weight <c>[Cin, Cout, kH, kW]</c> and bias <c>[Cout]</c>, as PyTorch's
/// <c>nn.ConvTranspose2d</c>; without a bias (<c>bias: false</c>, PyTorch's <c>bias=False</c>) the weight is the only parameter.
/// With <c>groups</c> G (PyTorch's <c>groups</c>) the channels split into G groups stamped apart, the weight <c>[Cin, Cout/G, kH, kW]</c>.
/// </summary>
/// <remarks>
/// <para><c>y[n, o, r·sH − pH + i, q·sW − pW + j] += w[c, o, i, j] · x[n, c, r, q]</c> summed over c, r, q, i, j, plus
/// <c>b[o]</c>; contributions that land in the padding are dropped. The output is
/// <c>(H − 1)·s − 2p + k + outputPadding</c> high (likewise wide): output padding adds rows at the bottom and columns on the
/// right so that a stride-s convolution of the output gives back an H×W image; it must be smaller than the stride.</para>
/// <para>It is the input-gradient pass of the convolution with the same kernel, stride and padding, and the backward pass
/// is that convolution's forward and weight-gradient passes: <c>dX = W ⋆ dY</c>, <c>dW += X·unfold(dY)ᵀ</c>,
/// <c>db += Σ dY</c>.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ConvTranspose2D<T> : ILayer<T>, IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Window2D _window;
    private readonly TransposedConvolution<T> _convolution;     // groups = 1: the whole layer; else group 0's
    private readonly TransposedConvolution<T>[] _convolutions;  // one per group
    private readonly GroupedConvolution<T>? _grouped;            // null for groups = 1
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private int _outH, _outW;

    /// <summary>Creates a transposed convolution with a square kernel, weights drawn by <paramref name="init"/> from <paramref name="seed"/> and zero bias.</summary>
    /// <param name="inChannels">Channels of the input (Cin).</param>
    /// <param name="outChannels">Channels of the output (Cout).</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="seed">Seed of the weights.</param>
    /// <param name="stride">Distance between the stamps of neighbouring input pixels.</param>
    /// <param name="padding">Rows and columns cut from every side of the full output.</param>
    /// <param name="outputPadding">Rows and columns added at the bottom and right; less than the stride.</param>
    /// <param name="init">Weight initialisation; fan-in is Cout/G·kH·kW, as PyTorch counts it.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    /// <param name="groups">Groups the channels split into, stamped apart (PyTorch's <c>groups</c>); Cin and Cout must be multiples of it.</param>
    public ConvTranspose2D(int inChannels, int outChannels, int kernel, int seed, int stride = 1, int padding = 0, int outputPadding = 0,
        WeightInit init = WeightInit.HeUniform, bool bias = true, int groups = 1)
        : this(inChannels, outChannels, (kernel, kernel), new Random(seed), (stride, stride), (padding, padding), (outputPadding, outputPadding), init, bias,
            groups) { }

    /// <summary>Creates a transposed convolution with kernel, stride, padding and output padding given as (height, width).</summary>
    /// <param name="inChannels">Channels of the input (Cin).</param>
    /// <param name="outChannels">Channels of the output (Cout).</param>
    /// <param name="kernel">Kernel (height, width).</param>
    /// <param name="random">Source of the weights.</param>
    /// <param name="stride">Distance between stamps (height, width); (1, 1) when null.</param>
    /// <param name="padding">Cut from every side (height, width); (0, 0) when null.</param>
    /// <param name="outputPadding">Added at the bottom and right (height, width); (0, 0) when null; less than the stride.</param>
    /// <param name="init">Weight initialisation; fan-in is Cout/G·kH·kW, as PyTorch counts it.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    /// <param name="groups">Groups the channels split into, stamped apart (PyTorch's <c>groups</c>); Cin and Cout must be multiples of it.</param>
    public ConvTranspose2D(int inChannels, int outChannels, (int Height, int Width) kernel, Random random,
        (int Height, int Width)? stride = null, (int Height, int Width)? padding = null, (int Height, int Width)? outputPadding = null,
        WeightInit init = WeightInit.HeUniform, bool bias = true, int groups = 1)
    {
        ArgumentRange.ThrowIfNegativeOrZero(inChannels);
        ArgumentRange.ThrowIfNegativeOrZero(outChannels);
        ArgumentNullException.ThrowIfNull(random);
        string name = string.Create(CultureInfo.InvariantCulture, $"ConvTranspose2D({inChannels} → {outChannels})");
        ChannelGroups.Check(name, inChannels, outChannels, groups);
        _window = Window2D.Create(name, kernel, stride ?? (1, 1), padding ?? (0, 0));
        OutputPadding = CheckOutputPadding(name, outputPadding ?? (0, 0), _window);
        InChannels = inChannels;
        OutChannels = outChannels;
        Groups = groups;
        Weight = new Parameter<T>("weight", inChannels, outChannels / groups, kernel.Height, kernel.Width);
        Bias = bias ? new Parameter<T>("bias", outChannels) : null;
        int area = kernel.Height * kernel.Width;
        // PyTorch's fan-in and fan-out of the weight [Cin, Cout/G, kH, kW]: its dimensions 1 and 0 times the kernel's area.
        WeightInitializer.Fill(Weight.ValueSpan, init, outChannels / groups * area, inChannels * area, random);
        Parameters = Bias is null ? [Weight] : [Weight, Bias];
        (_convolutions, _grouped) = GroupedConvolution<T>.Create(InChannels, OutChannels, Groups, (cin, cout) => new TransposedConvolution<T>(cin, cout, _window));
        _convolution = _convolutions[0];
    }

    // An inference copy: the same parameter objects and settings, buffers of its own.
    private ConvTranspose2D(ConvTranspose2D<T> source)
    {
        (_window, InChannels, OutChannels, Groups, OutputPadding, Weight, Bias) =
            (source._window, source.InChannels, source.OutChannels, source.Groups, source.OutputPadding, source.Weight, source.Bias);
        Parameters = source.Parameters;
        (_convolutions, _grouped) = GroupedConvolution<T>.Create(InChannels, OutChannels, Groups, (cin, cout) => new TransposedConvolution<T>(cin, cout, _window));
        _convolution = _convolutions[0];
        foreach (var convolution in _convolutions) convolution.ChunkElements = source.ChunkElements;
    }

    /// <inheritdoc/>
    public ILayer<T> CreateInferenceCopy() => new ConvTranspose2D<T>(this);

    /// <summary>Input channels (Cin).</summary>
    public int InChannels { get; }

    /// <summary>Output channels (Cout).</summary>
    public int OutChannels { get; }

    /// <summary>Groups the channels split into, stamped apart (PyTorch's <c>groups</c>; 1: an ordinary transposed convolution).</summary>
    public int Groups { get; }

    /// <summary>Kernel (height, width).</summary>
    public (int Height, int Width) Kernel => (_window.KernelH, _window.KernelW);

    /// <summary>Stride (height, width).</summary>
    public (int Height, int Width) Stride => (_window.StrideH, _window.StrideW);

    /// <summary>Padding (height, width), cut from both sides of the full output.</summary>
    public (int Height, int Width) Padding => (_window.PadH, _window.PadW);

    /// <summary>Output padding (height, width), added at the bottom and the right.</summary>
    public (int Height, int Width) OutputPadding { get; }

    /// <summary>The kernels, shape <c>[Cin, Cout/G, kH, kW]</c> (<c>[Cin, Cout, kH, kW]</c> ungrouped).</summary>
    public Parameter<T> Weight { get; }

    /// <summary>The bias, one per output channel, shape <c>[Cout]</c>, or null for a layer without one (<see cref="HasBias"/>).</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>Whether the layer has a bias (PyTorch's <c>bias</c>).</summary>
    public bool HasBias => Bias is not null;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>About how many elements of the column matrix one product covers; tests lower it to exercise chunking.</summary>
    internal int ChunkElements
    {
        get => _convolution.ChunkElements;
        init { foreach (var convolution in _convolutions) convolution.ChunkElements = value; }
    }

    /// <summary>Output height <c>(H − 1)·sH − 2·pH + kH + opH</c> for input height <paramref name="height"/>.</summary>
    public int OutputHeight(int height) => (height - 1) * _window.StrideH - 2 * _window.PadH + _window.KernelH + OutputPadding.Height;

    /// <summary>Output width <c>(W − 1)·sW − 2·pW + kW + opW</c> for input width <paramref name="width"/>.</summary>
    public int OutputWidth(int width) => (width - 1) * _window.StrideW - 2 * _window.PadW + _window.KernelW + OutputPadding.Width;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Lengths[1] != InChannels)
            throw PassShapes.NotImages(this, InChannels, input);
        int batch = input.BatchSize(), height = (int)input.Lengths[2], width = (int)input.Lengths[3];
        (_outH, _outW) = CheckedOutput(height, width, input.Shape());
        _input = input;
        var output = _output.Get(batch, [OutChannels, _outH, _outW]);
        if (_grouped is null) _convolution.Forward(input, Weight.ValueSegment, LayerBias.Values(Bias), output);
        else _grouped.Forward(input, Weight.ValueSegment, LayerBias.Values(Bias), output);
        return output;
    }

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
        var dW = Weight.GradientForBackward(out bool accumulate);
        if (_grouped is null) _convolution.Backward(input, outputGradient, Weight.ValueSegment, dW, accumulate, LayerBias.Gradient(Bias), dx);
        else _grouped.Backward(outputGradient, Weight.ValueSegment, dW, accumulate, LayerBias.Gradient(Bias), dx);
        return dx;
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Count != 3 || inputShape[0] != InChannels)
            throw new ShapeMismatchException(ToString(), string.Create(CultureInfo.InvariantCulture, $"[{InChannels}, H, W]"), inputShape);
        var (height, width) = CheckedOutput(inputShape[1], inputShape[2], inputShape);
        return [OutChannels, height, width];
    }

    /// <inheritdoc/>
    public LayerDescription Describe()
    {
        var settings = new Dictionary<string, double> { ["inChannels"] = InChannels, ["outChannels"] = OutChannels };
        _window.Describe(settings);
        settings["outputPadH"] = OutputPadding.Height;
        settings["outputPadW"] = OutputPadding.Width;
        LayerBias.Describe(settings, HasBias);
        ChannelGroups.Describe(settings, Groups);
        return new LayerDescription("ConvTranspose2D", settings);
    }

    /// <summary>Prints like <c>ConvTranspose2D(16 → 8, 4×4, stride 2, padding 1, output padding 0×0)</c>, with <c>, groups 2</c> for a grouped layer and <c>, no bias</c> at the end for a layer without one.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ConvTranspose2D({InChannels} → {OutChannels}, {_window.Text(showPadding: true)}, output padding {OutputPadding.Height}×{OutputPadding.Width}{ChannelGroups.Text(Groups)}{LayerBias.Text(HasBias)})");

    private (int Height, int Width) CheckedOutput(int height, int width, IReadOnlyList<int> shape)
    {
        int outH = OutputHeight(height), outW = OutputWidth(width);
        if (height <= 0 || width <= 0 || outH <= 0 || outW <= 0)
            throw new ShapeMismatchException(ToString(), string.Create(CultureInfo.InvariantCulture, $"[N, {InChannels}, H, W]"), shape, string.Create(CultureInfo.InvariantCulture,
                $"a {height}×{width} input gives a {outH}×{outW} output: the padding cuts away everything"));
        return (outH, outW);
    }

    private static (int Height, int Width) CheckOutputPadding(string layer, (int Height, int Width) outputPadding, Window2D window)
    {
        if (outputPadding.Height < 0 || outputPadding.Width < 0 || outputPadding.Height >= window.StrideH || outputPadding.Width >= window.StrideW)
            throw new ArgumentOutOfRangeException(nameof(outputPadding), string.Create(CultureInfo.InvariantCulture, $"{layer}: the output padding must be at least 0 and smaller than the stride ({window.StrideH}×{window.StrideW}), but was {outputPadding.Height}×{outputPadding.Width}."));
        return outputPadding;
    }
}
