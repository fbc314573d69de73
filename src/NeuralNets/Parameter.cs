using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets;

/// <summary>
/// A trainable tensor of a layer: its current <see cref="Value"/> and the <see cref="Gradient"/>
/// of the loss with respect to it. <see cref="ILayer{T}.Backward"/> <em>adds</em> into the
/// gradient; <see cref="ZeroGradient"/> clears it.
/// </summary>
/// <typeparam name="T">The element type (<see cref="float"/> or <see cref="double"/>).</typeparam>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Storage _storage;
    private readonly ArraySegment<T> _value;
    private readonly ArraySegment<T> _gradient;

    /// <summary>Creates a parameter of the given shape, filled with zeros.</summary>
    /// <param name="name">A name unique within its network, e.g. <c>"dense1.weight"</c>.</param>
    /// <param name="shape">Its shape in PyTorch's layout, e.g. <c>[out, in]</c> for a dense weight.</param>
    public Parameter(string name, params IReadOnlyList<int> shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(shape);
        int[] copy = [.. shape];
        foreach (int d in copy)
            if (d <= 0) throw new ArgumentOutOfRangeException(nameof(shape), $"Parameter '{name}' has shape {TensorMemory.ShapeText(copy)}; every length must be positive.");
        long count = ShapeMismatchException.ValueCount(copy);
        if (count > Array.MaxLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Parameter '{name}' of shape {TensorMemory.ShapeText(copy)} would hold {ShapeMismatchException.CountText(count)} values, more than one array can hold ({Array.MaxLength})."), nameof(shape));
        Name = name;
        Shape = copy;
        // Pinned, on a heap of its own away from the input batches a program streams through, so that the CPU's
        // prefetcher running past a batch cannot pull a weight into the other core's cache (benchmarks/README.md,
        // "How NeuralNets uses the two cores"); and starting on a cache line, so that no vector load of a weight
        // straddles two.
        var value = AlignedArrays.Allocate<T>(checked((int)count));
        var gradient = AlignedArrays.Allocate<T>(value.Count);
        _storage = new Storage(TensorMemory.WrapSegment(value, copy), TensorMemory.WrapSegment(gradient, copy));
        (_value, _gradient) = (value, gradient);
    }

    // A view: the same storage under another name (a container's name for a layer's parameter).
    private Parameter(string name, Parameter<T> source)
    {
        Name = name;
        Shape = source.Shape;
        (_storage, _value, _gradient) = (source._storage, source._value, source._gradient);
    }

    /// <summary>
    /// The same parameter (same values, same gradient, same pending zero) under the name a container gives it:
    /// <see cref="Sequential{T}"/> lists its layers' parameters as <c>"0.weight"</c> without renaming the layer's own
    /// objects, so a layer or a network put into a second network keeps its own names.
    /// </summary>
    internal Parameter<T> Named(string name) => new(name, this);

    /// <summary>What every view of this parameter shares: compare it to tell whether two parameters are the same one.</summary>
    internal object Identity => _storage;

    // The values' and the gradient's tensors, the gradient's pending zero and the change marks, shared by a parameter and
    // every view of it.
    private sealed class Storage(Tensor<T> valueTensor, Tensor<T> gradientTensor)
    {
        public readonly Tensor<T> ValueTensor = valueTensor, GradientTensor = gradientTensor;
        public bool GradientPendingZero;
        public long ChangeMarks;  // odd while a training step or a load changes the values (a seqlock's sequence)
    }

    /// <summary>
    /// The count of change marks on the values: odd while a change runs, and grown by two by each one. Kept with the
    /// values, not with a network, so that a network's Predict sees a change made through any network that holds the
    /// parameter (an outer network it is nested in, another network that shares the layer).
    /// </summary>
    internal long ChangeMarks => Volatile.Read(ref _storage.ChangeMarks);

    /// <summary>Marks the start or the end of a change of the values (<see cref="ChangeMarks"/>).</summary>
    internal void MarkChange() => Interlocked.Increment(ref _storage.ChangeMarks);

    /// <summary>The parameter's name, e.g. <c>"dense1.weight"</c>.</summary>
    public string Name { get; }

    /// <summary>The parameter's shape (a copy is not made: do not modify).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Number of scalar elements.</summary>
    public int Length => _value.Count;

    /// <summary>The current value (wraps the same memory as <see cref="ValueSpan"/>).</summary>
    public Tensor<T> Value => _storage.ValueTensor;

    /// <summary>The accumulated gradient dLoss/dValue (wraps the same memory as <see cref="GradientSpan"/>; the same tensor every time).</summary>
    public Tensor<T> Gradient
    {
        get
        {
            ClearIfPending();
            return _storage.GradientTensor;
        }
    }

    /// <summary>The value as a flat row-major span, for optimizers and initialisers.</summary>
    public Span<T> ValueSpan => _value;

    /// <summary>The gradient as a flat row-major span.</summary>
    public Span<T> GradientSpan
    {
        [MethodImpl(HotPath.Options)]
        get
        {
            ClearIfPending();
            return _gradient;
        }
    }

    /// <summary>The value's memory, for kernels that split it across threads.</summary>
    internal ArraySegment<T> ValueSegment => _value;

    /// <summary>The gradient's memory (cleared first if pending zero), for kernels that split it across threads.</summary>
    internal ArraySegment<T> GradientSegment
    {
        get
        {
            ClearIfPending();
            return _gradient;
        }
    }

    /// <summary>Sets every gradient element to zero, at once: a <see cref="Gradient"/> tensor or span taken before reads zeros.</summary>
    /// <remarks>A large gradient is cleared by the worker team, each core the range it updates, as the optimizers split it.</remarks>
    public void ZeroGradient()
    {
        _storage.GradientPendingZero = false;
        ParallelRanges.Run(new ClearRange(_gradient), _gradient.Count);
    }

    /// <summary>
    /// Zeroes the gradient lazily, for the training loop's own closure, where no caller can look between this and the
    /// backward pass: a layer whose backward writes every element then overwrites instead of adding (as PyTorch's
    /// <c>zero_grad(set_to_none=True)</c> lets its first backward do), saving two passes over large weights per step;
    /// any other use of the gradient (every accessor) clears it first.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    internal void ZeroGradientDeferred() => _storage.GradientPendingZero = true;

    private readonly struct ClearRange(ArraySegment<T> array) : IRangeOperation
    {
        public void Run(int start, int length) => array.AsSpan(start, length).Clear();
    }

    /// <summary>
    /// The gradient for a backward pass that writes every element: <paramref name="accumulate"/> is false
    /// when the gradient is pending zero, and the caller must then overwrite every element instead of adding.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    internal Span<T> GradientForBackward(out bool accumulate)
    {
        accumulate = !_storage.GradientPendingZero;
        _storage.GradientPendingZero = false;
        return _gradient;
    }

    [MethodImpl(HotPath.Options)]
    private void ClearIfPending()
    {
        if (!_storage.GradientPendingZero) return;
        _gradient.AsSpan().Clear();
        _storage.GradientPendingZero = false;
    }

    /// <summary>Copies <paramref name="values"/> into the value, checking the length.</summary>
    public void SetValue(ReadOnlySpan<T> values)
    {
        if (values.Length != _value.Count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Parameter '{Name}' of shape {TensorMemory.ShapeText(Shape)} holds {_value.Count} values, but {values.Length} were given."), nameof(values));
        values.CopyTo(_value);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {TensorMemory.ShapeText(Shape)}");
}
