using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Base of the elementwise activations: keeps the input and output of the forward pass and the
/// reused buffers, so that a subclass writes only its function and its derivative, side by side.
/// Subclass it to add an activation of your own: name its <see cref="Kind"/>, write <see cref="Activate"/> and
/// <see cref="Differentiate"/>, and say whether it <see cref="SplitsAcrossThreads"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public abstract class Activation<T> : ILayer<T>, IRowsEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private TensorBuffer<T> _output = new();
    private TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private Tensor<T>? _lastOutput;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; } = [];

    /// <summary>
    /// The activation's kind, e.g. <c>"ReLU"</c>: what <see cref="Describe"/> reports, and the name it is saved under and
    /// registered by (<see cref="Serialization.LayerRegistry"/>). Stable across renames of the class; the same for float and double.
    /// </summary>
    public abstract string Kind { get; }

    /// <summary>Effectively computes <c>y[i] = f(x[i])</c>.</summary>
    protected abstract void Activate(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>Effectively computes <c>dx[i] = dy[i] · f′(x[i])</c>, given <c>y = f(x)</c> too.</summary>
    protected abstract void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx);

    /// <summary>
    /// Whether <see cref="Activate"/> and <see cref="Differentiate"/> treat each element on its own, so that a long
    /// tensor may be cut into ranges computed on the helper threads at once (softmax, which works on rows, may not).
    /// False by default; an override that returns true must compute each element from that element alone.
    /// </summary>
    protected virtual bool SplitsAcrossThreads => false;

    /// <summary><see cref="SplitsAcrossThreads"/>, for the library's warm-up.</summary>
    internal bool SplitsAcrossThreadsForRehearsal => SplitsAcrossThreads;

    /// <summary>Compiles the team's part runners of the two passes, for a warm-up (<see cref="LayerRehearsal"/>).</summary>
    internal static void PrepareSplitPasses()
    {
        ParallelRanges.Prepare<ActivateRange>();
        ParallelRanges.Prepare<DifferentiateRange>();
    }

    private readonly struct ActivateRange(Activation<T> layer, Tensor<T> x, Tensor<T> y) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int start, int length) => layer.Activate(x.Span().Slice(start, length), y.Span().Slice(start, length));
    }

    private readonly struct DifferentiateRange(Activation<T> layer, Tensor<T> x, Tensor<T> y, Tensor<T> dy, Tensor<T> dx) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int start, int length) => layer.Differentiate(
            x.Span().Slice(start, length), y.Span().Slice(start, length), dy.Span().Slice(start, length), dx.Span().Slice(start, length));
    }

    /// <summary>
    /// Set on an inference copy of one of the library's elementwise activations whose dense layer before applies it
    /// (<see cref="Dense{T}.FusedActivation"/>): inference then passes its input, already activated, on as its output.
    /// </summary>
    internal bool PassesInputInInference { get; set; }

    /// <summary>
    /// Whether this is one of the library's own elementwise activations, which the layers around it may apply for it: a
    /// dense layer before it in inference (its <see cref="Activate"/> may write over its input) or after it in training, a
    /// pool after it (<see cref="MaxPool2D{T}.ForwardActivated"/>).
    /// </summary>
    internal bool IsLibraryElementwise => SplitsAcrossThreads && LibraryCode.Declares(GetType());

    void IRowsEpilogue<T>.Apply(Span<T> values, int start) => Activate(values, values);

    /// <summary>
    /// Whether <see cref="Differentiate"/> reads only the input and the gradient, never the output (false unless an activation
    /// of the library says so): a layer that applies this activation for it need not keep or recompute the output.
    /// </summary>
    internal virtual bool DifferentiatesFromInput => false;

    /// <summary><see cref="Activate"/>, for a layer that applies this activation for it.</summary>
    [MethodImpl(HotPath.Options)]
    internal void ActivateElements(ReadOnlySpan<T> x, Span<T> y) => Activate(x, y);

    /// <summary><see cref="Differentiate"/>, for a layer that applies this activation for it.</summary>
    [MethodImpl(HotPath.Options)]
    internal void DifferentiateElements(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => Differentiate(x, y, dy, dx);

    /// <summary>
    /// This pass's input and output when the layer before has applied this activation for it (only a <see cref="ReLU{T}"/>,
    /// after <see cref="BatchNorm{T}.ForwardRectified"/>): the rectified output stands for the input too, since the ReLU's
    /// derivative is zero exactly where its output is not positive, as where its input is not (a NaN passes both).
    /// </summary>
    /// <returns><paramref name="rectified"/>, as this layer's output.</returns>
    internal Tensor<T> AdoptRectified(Tensor<T> rectified)
    {
        _input = rectified;
        _lastOutput = rectified;
        return rectified;
    }

    private DerivativeEpilogue? _derivative;  // this activation's backward pass as a dense layer's epilogue, made once

    /// <summary>
    /// This activation's backward pass done by the dense layer after it (<see cref="Sequential{T}"/>, for the library's own
    /// elementwise activations: <see cref="IsLibraryElementwise"/>): as that layer's input-gradient product finishes each run
    /// of rows, the core that computed it applies <see cref="Differentiate"/> to it, into this activation's input gradient.
    /// The same values as <see cref="Dense{T}.Backward(Tensor{T})"/> and then <see cref="Backward"/>, without a pass and a
    /// hand-over of their own. Where the product's chunks are not whole rows (a wide layer's input gradient is cut into
    /// column chunks), the derivative runs as this activation's own pass after the product, split across the team as ever.
    /// </summary>
    /// <returns>This activation's input gradient.</returns>
    [MethodImpl(HotPath.Options)]
    internal Tensor<T> BackwardThroughDense(Dense<T> dense, Tensor<T> outputGradient)
    {
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        var inputGradient = _inputGradient.GetLike(input);
        var derivative = _derivative ??= new DerivativeEpilogue(this);
        derivative.Begin(input, _lastOutput!, inputGradient);
        try
        {
            var denseInputGradient = dense.Backward(outputGradient, derivative, out bool applied);
            if (denseInputGradient.FlattenedLength != input.FlattenedLength)
                throw PassShapes.GradientNotLikeInput(this, input, denseInputGradient);
            if (!applied)
                ParallelRanges.Run(new DifferentiateRange(this, input, _lastOutput!, denseInputGradient, inputGradient), (int)input.FlattenedLength);
        }
        finally
        {
            derivative.End();
        }
        return inputGradient;
    }

    /// <summary>dx = dy · f′ over each run the product hands it: dy is the run, x, y and dx the tensors at the same place.</summary>
    private sealed class DerivativeEpilogue(Activation<T> layer) : IRowsEpilogue<T>
    {
        private Tensor<T>? _x, _y, _dx;

        public void Begin(Tensor<T> x, Tensor<T> y, Tensor<T> dx) => (_x, _y, _dx) = (x, y, dx);

        public void End() => (_x, _y, _dx) = (null, null, null);

        [MethodImpl(HotPath.Options)]
        public void Apply(Span<T> values, int start) => layer.Differentiate(
            _x!.Span().Slice(start, values.Length), _y!.Span().Slice(start, values.Length), values, _dx!.Span().Slice(start, values.Length));
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public virtual Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        if (PassesInputInInference && !training)
        {
            _lastOutput = input;
            return input;
        }
        var output = _output.GetLike(input);
        // Inference: a batch long enough lies split by samples across the cores as the layer before left it (see ParallelRanges.PartsForInference).
        int length = (int)input.FlattenedLength;
        if (SplitsAcrossThreads) ParallelRanges.Run(new ActivateRange(this, input, output), length, training ? 0 : ParallelRanges.PartsForInference(length, input.BatchSize()));
        else Activate(input.Span(), output.Span());
        _lastOutput = output;
        return output;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public virtual Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        if (outputGradient.FlattenedLength != input.FlattenedLength)
            throw PassShapes.GradientNotLikeInput(this, input, outputGradient);
        var inputGradient = _inputGradient.GetLike(input);
        if (SplitsAcrossThreads) ParallelRanges.Run(new DifferentiateRange(this, input, _lastOutput!, outputGradient, inputGradient), (int)input.FlattenedLength);
        else Differentiate(input.Span(), _lastOutput!.Span(), outputGradient.Span(), inputGradient.Span());
        return inputGradient;
    }

    /// <summary>
    /// A shallow copy of this activation (<see cref="object.MemberwiseClone"/>, so a subclass's settings come
    /// along) with buffers of its own. A subclass that keeps buffers of its own in reference-type fields
    /// must override this and give the copy new ones.
    /// </summary>
    public virtual ILayer<T>? CreateInferenceCopy()
    {
        var copy = (Activation<T>)MemberwiseClone();
        copy._output = new TensorBuffer<T>();
        copy._inputGradient = new TensorBuffer<T>();
        copy._input = null;
        copy._lastOutput = null;
        copy._derivative = null;
        return copy;
    }

    /// <inheritdoc/>
    public virtual IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.ToArray();

    /// <inheritdoc/>
    public virtual LayerDescription Describe() => LayerDescription.Of(Kind);

    /// <summary>Prints like <c>Sigmoid()</c>.</summary>
    public override string ToString() => Describe().ToString();
}
