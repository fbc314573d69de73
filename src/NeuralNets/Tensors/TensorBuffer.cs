using NeuralNets.Kernels;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace NeuralNets.Tensors;

/// <summary>
/// A reusable output buffer for one layer. It keeps the tensors of the two most recent shapes
/// (a full mini-batch and the last, shorter one) so that a training epoch allocates nothing
/// after its first two batches.
/// </summary>
/// <remarks>
/// A layer keeps one per tensor it returns (its output, its input gradient) and asks it for a tensor of
/// the batch's shape on every call: the same tensor comes back while the shape stays the same. That is the
/// contract of <see cref="Layers.ILayer{T}"/>: a returned tensor stays valid until the layer's next call of the
/// same method. Not thread-safe: one buffer belongs to one layer object (an inference copy makes its own).
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class TensorBuffer<T>
{
    private Tensor<T>? _recent;
    private Tensor<T>? _previous;

    /// <summary>A tensor of the shape <c>[batch, ...sampleShape]</c>; its contents are whatever was last written.</summary>
    /// <param name="batch">The first length, the number of samples.</param>
    /// <param name="sampleShape">The lengths of one sample.</param>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Get(int batch, ReadOnlySpan<int> sampleShape)
    {
        if (Matches(_recent, batch, sampleShape)) return _recent!;
        if (Matches(_previous, batch, sampleShape))
        {
            (_recent, _previous) = (_previous, _recent);
            return _recent!;
        }
        Span<int> shape = stackalloc int[sampleShape.Length + 1];
        shape[0] = batch;
        sampleShape.CopyTo(shape[1..]);
        long count = batch;
        foreach (int d in sampleShape) count *= d;
        var created = TensorMemory.WrapSegment(AlignedArrays.Allocate<T>(checked((int)count)), shape);
        _previous = _recent;
        _recent = created;
        return created;
    }

    /// <summary>A tensor with exactly the lengths of <paramref name="like"/>; its contents are whatever was last written.</summary>
    /// <typeparam name="TOther">The element type of <paramref name="like"/>.</typeparam>
    /// <param name="like">The tensor whose shape is wanted.</param>
    public Tensor<T> GetLike<TOther>(Tensor<TOther> like)
    {
        var lengths = like.Lengths;
        Span<int> sample = stackalloc int[Math.Max(0, lengths.Length - 1)];
        for (int i = 1; i < lengths.Length; i++) sample[i - 1] = checked((int)lengths[i]);
        return Get(lengths.Length == 0 ? 1 : checked((int)lengths[0]), sample);
    }

    [MethodImpl(HotPath.Options)]
    private static bool Matches(Tensor<T>? tensor, int batch, ReadOnlySpan<int> sampleShape)
    {
        if (tensor is null) return false;
        var lengths = tensor.Lengths;
        if (lengths.Length != sampleShape.Length + 1 || lengths[0] != batch) return false;
        for (int i = 0; i < sampleShape.Length; i++)
            if (lengths[i + 1] != sampleShape[i]) return false;
        return true;
    }
}
