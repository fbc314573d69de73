using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// A residual block: <c>y = body(x) + shortcut(x)</c>, where the shortcut is the identity or a network of its own (a
/// projection: PyTorch's <c>downsample</c>, a strided 1×1 <see cref="Conv2D{T}"/> without bias and a <see cref="BatchNorm2D{T}"/>).
/// </summary>
/// <remarks>
/// <para>Backward: <c>dx = body.Backward(dy) + shortcut.Backward(dy)</c>, or <c>+ dy</c> for the identity. The block ends with the
/// sum: PyTorch's <c>BasicBlock</c> applies its ReLU after the add, which here is a <see cref="ReLU{T}"/> after the block.</para>
/// <para>Inner networks: <see cref="Branches"/> is the body, then the shortcut when it is a network. Parameters and BatchNorm
/// running statistics are named by branch as a nested <see cref="Sequential{T}"/>'s by layer: <c>"0.3.weight"</c> is the weight
/// of the body's layer 3, <c>"1.1.running_mean"</c> the running mean of the shortcut's layer 1. <see cref="Interop.PyTorchNames.ForModules{T}"/>
/// maps torchvision's names (<c>conv1</c>, <c>bn1</c>, <c>downsample.0</c>) to these.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Residual<T> : ILayer<T>, IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private Tensor<T>? _lastOutput;

    /// <summary>Creates <c>y = body(x) + shortcut(x)</c>; a null <paramref name="shortcut"/> is the identity.</summary>
    /// <param name="body">The residual branch, e.g. conv, BatchNorm, ReLU, conv, BatchNorm.</param>
    /// <param name="shortcut">The projection of the input, or null for the identity.</param>
    /// <exception cref="ShapeMismatchException">The body knows its input shape and its output does not match the shortcut's
    /// (the input itself, for the identity); the message names both shapes.</exception>
    public Residual(Sequential<T> body, Sequential<T>? shortcut = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        Body = body;
        Shortcut = shortcut;
        Branches = shortcut is null ? [body] : [body, shortcut];
        var parameters = new List<Parameter<T>>();
        for (int b = 0; b < Branches.Count; b++)
            foreach (var p in Branches[b].Parameters) parameters.Add(p.Named(Sequential<T>.ParameterName(b, p.Name)));
        _parameters = [.. parameters];
        var inputShape = body.InputShape ?? shortcut?.InputShape;
        if (inputShape is not null) OutputShape(inputShape);
    }

    /// <summary>The residual branch.</summary>
    public Sequential<T> Body { get; }

    /// <summary>The shortcut network, or null for the identity.</summary>
    public Sequential<T>? Shortcut { get; }

    /// <summary>The inner networks: the body, then the shortcut when it is not the identity.</summary>
    public IReadOnlyList<Sequential<T>> Branches { get; }

    /// <summary>Whether a branch has a layer without an inference copy (see <see cref="Sequential{T}"/>).</summary>
    internal bool SharesLayers => Body.SharesLayers || (Shortcut?.SharesLayers ?? false);

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { [MethodImpl(HotPath.Options)] get => _parameters; }

    // y = body(x) + shortcut(x)
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        var fromBody = Body.Forward(input, training);
        var fromShortcut = Shortcut is null ? input : Shortcut.Forward(input, training);
        if (!fromBody.Lengths.SequenceEqual(fromShortcut.Lengths)) throw BranchesDiffer(input.Shape(), fromBody.Shape(), fromShortcut.Shape());
        _input = input;
        var output = _lastOutput = _output.GetLike(fromBody);
        TensorPrimitives.Add(fromBody.Span(), fromShortcut.Span(), output.Span());
        return output;
    }

    // dx = body'ᵀ·dy + shortcut'ᵀ·dy (dy itself for the identity)
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        var input = CheckGradient(outputGradient);
        var throughBody = Body.Backward(outputGradient);
        var throughShortcut = Shortcut is null ? outputGradient : Shortcut.Backward(outputGradient);
        var inputGradient = _inputGradient.GetLike(input);
        TensorPrimitives.Add(throughBody.Span(), throughShortcut.Span(), inputGradient.Span());
        return inputGradient;
    }

    /// <summary>
    /// Adds each branch's parameter gradients without the block's input gradient (the block first in a network that
    /// learns): each branch runs its own <see cref="Sequential{T}.BackwardToParameters"/>.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    void IParameterGradientOnly<T>.BackwardToParameters(Tensor<T> outputGradient)
    {
        CheckGradient(outputGradient);
        Body.BackwardToParameters(outputGradient);
        Shortcut?.BackwardToParameters(outputGradient);
    }

    private Tensor<T> CheckGradient(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        if (!outputGradient.Lengths.SequenceEqual(_lastOutput!.Lengths)) throw PassShapes.GradientNotLikeInput(this, _lastOutput!, outputGradient);
        return input;
    }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The body's output shape differs from the shortcut's (the input's, for the identity).</exception>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        var fromBody = Body.OutputShape(inputShape);
        var fromShortcut = Shortcut is null ? inputShape : Shortcut.OutputShape(inputShape);
        if (!fromBody.SequenceEqual(fromShortcut)) throw BranchesDiffer(inputShape, fromBody, fromShortcut);
        return fromBody;
    }

    // Built apart, so that the check compiled into every pass does not carry the message's formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ShapeMismatchException BranchesDiffer(IReadOnlyList<int> input, IReadOnlyList<int> fromBody, IReadOnlyList<int> fromShortcut)
    {
        string shortcut = Shortcut is null
            ? "the identity shortcut passes the input as it is; the two are added, so give the block a shortcut network (a strided 1×1 Conv2D and a BatchNorm2D) that makes the body's shape"
            : "the shortcut makes " + ShapeMismatchException.Format(fromShortcut) + "; the two are added, so they must have the same shape";
        return new(string.Concat(ToString(), ": the body turns an input of ", ShapeMismatchException.Format(input), " into ", ShapeMismatchException.Format(fromBody), ", but ", shortcut, "."));
    }

    /// <summary>The kind <c>Residual</c>, with the body's description and then the shortcut's (absent for the identity) as its inner layers.</summary>
    public LayerDescription Describe() => LayerDescription.Of("Residual") with { Layers = Branches.Select(b => b.Describe()).ToArray() };

    /// <summary>A block over the inference copies of the body and the shortcut: the same parameters, buffers of its own.</summary>
    public ILayer<T> CreateInferenceCopy() =>
        new Residual<T>((Sequential<T>)Body.CreateInferenceCopy(), (Sequential<T>?)Shortcut?.CreateInferenceCopy());

    /// <summary>Prints <c>Residual(body 5 layers, identity)</c> or <c>Residual(body 5 layers, shortcut 2 layers)</c>.</summary>
    public override string ToString() => Shortcut is null
        ? string.Create(CultureInfo.InvariantCulture, $"Residual(body {Body.Layers.Count} layers, identity)")
        : string.Create(CultureInfo.InvariantCulture, $"Residual(body {Body.Layers.Count} layers, shortcut {Shortcut.Layers.Count} layers)");
}
