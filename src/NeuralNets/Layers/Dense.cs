using System.Globalization;
using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using NeuralNets.Initialization;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// A fully connected layer: <c>y = x·Wᵀ + b</c>, weight <c>[outputs, inputs]</c> and bias
/// <c>[outputs]</c> as in PyTorch's <c>nn.Linear</c>; without a bias (<c>bias: false</c>, PyTorch's <c>bias=False</c>),
/// <c>y = x·Wᵀ</c> and the weight is the only parameter.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Dense<T> : ILayer<T>, IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private ArraySegment<T> _packedWeight;  // the weight laid out for the product kernels, in a frozen network's private copy only

    /// <summary>Creates the layer with weights drawn by <paramref name="init"/> from a seeded source and zero bias.</summary>
    /// <param name="inputs">Number of input features.</param>
    /// <param name="outputs">Number of output features.</param>
    /// <param name="seed">Seed of the weights.</param>
    /// <param name="init">Weight initialisation.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    public Dense(int inputs, int outputs, int seed, WeightInit init = WeightInit.GlorotUniform, bool bias = true)
        : this(inputs, outputs, new Random(seed), init, bias) { }

    /// <summary>Creates the layer with weights drawn by <paramref name="init"/> from <paramref name="random"/> and zero bias.</summary>
    /// <param name="inputs">Number of input features.</param>
    /// <param name="outputs">Number of output features.</param>
    /// <param name="random">Source of the weights.</param>
    /// <param name="init">Weight initialisation.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    public Dense(int inputs, int outputs, Random random, WeightInit init = WeightInit.GlorotUniform, bool bias = true)
    {
        ArgumentRange.ThrowIfNegativeOrZero(inputs);
        ArgumentRange.ThrowIfNegativeOrZero(outputs);
        if ((long)inputs * outputs > Array.MaxLength)
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Dense({inputs} → {outputs}): its weight would hold {(long)inputs * outputs} values, more than one array can hold ({Array.MaxLength})."), nameof(outputs));
        Inputs = inputs;
        Outputs = outputs;
        Weight = new Parameter<T>("weight", outputs, inputs);
        Bias = bias ? new Parameter<T>("bias", outputs) : null;
        WeightInitializer.Fill(Weight.ValueSpan, init, inputs, outputs, random);
        Parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    // An inference copy: the same parameter objects, buffers of its own.
    private Dense(Dense<T> source)
    {
        (Inputs, Outputs, Weight, Bias) = (source.Inputs, source.Outputs, source.Weight, source.Bias);
        Parameters = source.Parameters;
        _packedWeight = source._packedWeight;
    }

    /// <summary>
    /// Lays the weight out once for the product kernels (<see cref="GemmDot.Pack{T}"/>), for inference on this layer and its
    /// inference copies from then on. Only for a layer whose weight can never change again: a <see cref="FrozenNetwork{T}"/>'s
    /// private copy, which nothing outside it can reach. Does nothing where the CPU's kernels do not read a packed weight.
    /// </summary>
    internal void PackWeightForInference()
    {
        if (GemmDot.PackingSupported && Outputs >= GemmDot.PackedGroupColumns && Inputs >= Vector256<T>.Count)
            _packedWeight = GemmDot.Pack<T>(Weight.ValueSpan, Outputs, Inputs);
    }

    /// <summary>Whether <see cref="PackWeightForInference"/> packed the weight (tests).</summary>
    internal bool HasPackedWeight => _packedWeight.Count > 0;

    /// <inheritdoc/>
    public ILayer<T> CreateInferenceCopy() => new Dense<T>(this);

    /// <summary>Number of input features.</summary>
    public int Inputs { get; }

    /// <summary>Number of output features.</summary>
    public int Outputs { get; }

    /// <summary>The weight, shape <c>[outputs, inputs]</c>.</summary>
    public Parameter<T> Weight { get; }

    /// <summary>The bias, shape <c>[outputs]</c>, or null for a layer without one (<see cref="HasBias"/>).</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>Whether the layer has a bias (PyTorch's <c>bias</c>).</summary>
    public bool HasBias => Bias is not null;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>
    /// Set on an inference copy followed by one of the library's elementwise activations (see <see cref="Sequential{T}"/>'s
    /// inference copies): inference applies it to the output in place, each chunk on the core that computed it, and the
    /// activation's own copy passes that output on (<see cref="Activation{T}.PassesInputInInference"/>).
    /// </summary>
    internal IRowsEpilogue<T>? FusedActivation { get; set; }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training) => Forward(input, training, unflattened: false);

    /// <summary>
    /// <see cref="Forward(Tensor{T}, bool)"/> of samples not yet flattened: <c>[N, ...]</c>, each sample a dense row-major block
    /// of <see cref="Inputs"/> values, which the product reads in the order a flattened copy would hold them
    /// (<see cref="Flatten{T}.ForwardIntoDense"/>). Backward then gives the input gradient in the input's shape.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    internal Tensor<T> ForwardUnflattened(Tensor<T> input, bool training) => Forward(input, training, unflattened: true);

    // Not inlined: the forward pass and ForwardUnflattened, each compiled fully optimised, would otherwise each compile this whole body.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private Tensor<T> Forward(Tensor<T> input, bool training, bool unflattened)
    {
        ArgumentNullException.ThrowIfNull(input);
        if ((input.Rank != 2 || input.Lengths[1] != Inputs) && !(unflattened && input.Rank > 2 && input.SampleSize() == Inputs))
            throw PassShapes.NotRows(this, Inputs, input);
        _input = input;
        int batch = input.BatchSize();
        var output = _output.Get(batch, [Outputs]);
        // y = x·Wᵀ + b, or x·Wᵀ without a bias (an empty one)
        DenseProducts.Forward<T>(input.Span(), Weight.ValueSpan, LayerBias.Values(Bias), output.Span(), batch, Outputs, Inputs, training,
            training ? null : FusedActivation, training ? default : _packedWeight);
        return output;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient) => Backward(outputGradient, null, out _);

    /// <summary>
    /// <see cref="Backward(Tensor{T})"/>, with <paramref name="inputGradientEpilogue"/> (if any) given each band of rows of the
    /// input gradient as the product finishes it, on the core that computed it, where the product's chunks are whole rows:
    /// the derivative of the activation before this layer (<see cref="Activation{T}.BackwardThroughDense"/>).
    /// </summary>
    /// <param name="outputGradient">The gradient of the layer's output.</param>
    /// <param name="inputGradientEpilogue">The work to do on each finished band of the input gradient, or null.</param>
    /// <param name="epilogueApplied">Whether nothing of it is left to do; if false, the caller does it over the whole input gradient.</param>
    // Not inlined: the backward pass and an activation's BackwardThroughDense, each compiled fully optimised, would otherwise each compile this whole body.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    internal Tensor<T> Backward(Tensor<T> outputGradient, IRowsEpilogue<T>? inputGradientEpilogue, out bool epilogueApplied)
    {
        var input = BackwardToParametersChecked(outputGradient);
        int batch = input.BatchSize();
        // dx = dy·W, in the input's shape (samples not yet flattened: ForwardUnflattened)
        var inputGradient = _inputGradient.GetLike(input);
        epilogueApplied = DenseProducts.InputGradient<T>(outputGradient.Span(), Weight.ValueSpan, inputGradient.Span(), batch, Outputs, Inputs,
            inputGradientEpilogue);
        return inputGradient;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    void IParameterGradientOnly<T>.BackwardToParameters(Tensor<T> outputGradient) => BackwardToParametersChecked(outputGradient);

    // Not inlined: the backward pass and BackwardToParameters, each compiled fully optimised, would otherwise each compile this whole body.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private Tensor<T> BackwardToParametersChecked(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        int batch = input.BatchSize();
        if (outputGradient.Rank != 2 || outputGradient.Lengths[0] != batch || outputGradient.Lengths[1] != Outputs)
            throw PassShapes.GradientNot(this, outputGradient, batch, Outputs);
        ReadOnlySpan<T> dy = outputGradient.Span();
        // dW += dyᵀ·x ; db += Σ_rows dy, in one product (no row sums without a bias). A gradient pending zero is overwritten rather than cleared and added to.
        var dW = Weight.GradientForBackward(out bool accumulate);
        DenseProducts.WeightGradient<T>(dy, input.Span(), dW, LayerBias.Gradient(Bias), batch, Outputs, Inputs, accumulate);
        return input;
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        if (inputShape.Count != 1 || inputShape[0] != Inputs)
            throw new ShapeMismatchException(ToString(), string.Create(CultureInfo.InvariantCulture, $"[{Inputs}]"), inputShape,
                inputShape.Count > 1 ? "add Flatten before Dense" : null);
        return [Outputs];
    }

    /// <inheritdoc/>
    /// <remarks>A layer without a bias writes <c>bias</c> = 0; a description without the setting (every file written before
    /// it existed) has a bias.</remarks>
    public LayerDescription Describe()
    {
        var settings = new Dictionary<string, double> { ["inputs"] = Inputs, ["outputs"] = Outputs };
        LayerBias.Describe(settings, HasBias);
        return new("Dense", settings);
    }

    /// <summary>Prints like <c>Dense(784 → 128)</c>, or <c>Dense(784 → 128, no bias)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Dense({Inputs} → {Outputs}{LayerBias.Text(HasBias)})");
}
