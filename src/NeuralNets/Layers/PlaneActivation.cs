using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// The activation a pool applies for the layer before it, a few planes at a time (<see cref="MaxPool2D{T}.ForwardActivated"/>,
/// <see cref="AvgPool2D{T}.ForwardActivated"/>): each core activates a chunk of planes that fits its L1 cache and the pool
/// reads them from there, and in the backward pass it applies the derivative to the chunk's routed gradient, which never
/// leaves its scratch either (a chunk of several small planes, so that the activation's loops run long enough). An
/// activation whose derivative reads only its input (<see cref="Activation{T}.DifferentiatesFromInput"/>) is activated into
/// the core's scratch plane and nothing is kept; one whose derivative reads its output (Sigmoid, Tanh) is activated into a
/// whole output kept for the backward pass, as its own forward pass would have kept it.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class PlaneActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _output = new();
    private Activation<T>? _activation;
    private Tensor<T>? _input, _kept;

    [ThreadStatic] private static T[]? t_plane;

    /// <summary>Starts a forward pass over <paramref name="input"/>: with no activation the pool reads its input as it is.</summary>
    [MethodImpl(HotPath.Options)]
    public void Begin(Tensor<T> input, Activation<T>? activation)
    {
        (_activation, _input) = (activation, input);
        _kept = activation is { DifferentiatesFromInput: false } ? _output.GetLike(input) : null;
    }

    /// <summary>Whether the last forward pass applied an activation.</summary>
    public bool Applies => _activation is not null;

    /// <summary>Planes in a chunk: about 8 KB of them, at least one.</summary>
    [MethodImpl(HotPath.Options)]
    public static int PlanesPerChunk(int plane) => Math.Max(1, 8192 / Unsafe.SizeOf<T>() / plane);

    /// <summary>The input's planes at [<paramref name="start"/>, + <paramref name="length"/>), activated when an activation is applied.</summary>
    [MethodImpl(HotPath.Options)]
    public ReadOnlySpan<T> Planes(int start, int length)
    {
        var plane = _input!.Span().Slice(start, length);
        if (_activation is null) return plane;
        var activated = _kept is null ? Scratch(length) : _kept.Span().Slice(start, length);
        _activation.ActivateElements(plane, activated);
        return activated;
    }

    /// <summary>The activation's derivative for the planes at <paramref name="start"/>: their input gradient <paramref name="dx"/> from the pool's <paramref name="gradient"/> there.</summary>
    [MethodImpl(HotPath.Options)]
    public void Differentiate(ReadOnlySpan<T> gradient, int start, Span<T> dx)
    {
        var input = _input!.Span().Slice(start, gradient.Length);
        _activation!.DifferentiateElements(input, _kept is null ? default : _kept.Span().Slice(start, gradient.Length), gradient, dx);
    }

    /// <summary>This thread's scratch plane of <paramref name="length"/> elements (grown on the thread that uses it, which alone touches it).</summary>
    [MethodImpl(HotPath.Options)]
    public static Span<T> Scratch(int length)
    {
        if (t_plane is null || t_plane.Length < length) t_plane = new T[length];
        return t_plane.AsSpan(0, length);
    }
}
