using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;

namespace NeuralNets.Tensors;

/// <summary>Span access and shape helpers for the dense, row-major <see cref="Tensor{T}"/>s that cross our edges.</summary>
/// <remarks>
/// Layers and losses do their arithmetic on spans (<c>TensorPrimitives</c>, loops): <see cref="Span{T}(Tensor{T})"/>
/// gives the memory of a tensor without copying, <see cref="Wrap{T}"/> makes a tensor of an array without copying.
/// </remarks>
public static class TensorMemory
{
    /// <summary>The whole backing memory of a dense tensor, in row-major order.</summary>
    /// <remarks>A view of whole leading rows (<c>tensor.Slice(rows, ..)</c>) is dense too, though <see cref="Tensor{T}.IsDense"/>
    /// says otherwise when a dimension has length 1 (the slice gives it stride 0): what matters is that every dimension
    /// longer than 1 has its row-major stride.</remarks>
    /// <exception cref="ArgumentException">The tensor is not dense (a strided view): the message says to call <c>ToDenseTensor()</c>.</exception>
    // Not inlined: a pass takes the spans of several tensors, and inlining each copy of this made the passes' code several times longer.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    public static Span<T> Span<T>(this Tensor<T> tensor)
    {
        if (!IsDenseRowMajor(tensor)) throw NotDense(tensor);
        if (tensor.FlattenedLength == 0) return System.Span<T>.Empty;
        // Through the tensor span: a slice's own GetPinnableReference gives the start of the whole backing array, not of the slice.
        return MemoryMarshal.CreateSpan(ref tensor.AsTensorSpan().GetPinnableReference(), checked((int)tensor.FlattenedLength));
    }

    // Built apart: Span is compiled fully optimised at its first call, and the message's formatting is for mistakes only.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException NotDense<T>(Tensor<T> tensor) => new(
        $"Expected a dense (contiguous, row-major) tensor but got one with lengths {ShapeText(tensor.Lengths)} and strides {ShapeText(tensor.Strides)}; call ToDenseTensor() first.",
        nameof(tensor));

    /// <summary>Whether <see cref="Span{T}(Tensor{T})"/> gives the tensor's memory (it is dense and row-major).</summary>
    [MethodImpl(HotPath.Options)]
    internal static bool IsDenseRowMajor<T>(Tensor<T> tensor) => tensor.IsDense || IsRowMajor(tensor.Lengths, tensor.Strides);

    // Every dimension longer than 1 has the stride of a row-major layout; those of length 1 may have any stride.
    private static bool IsRowMajor(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        nint expected = 1;
        for (int i = lengths.Length - 1; i >= 0; i--)
        {
            if (lengths[i] > 1 && strides[i] != expected) return false;
            expected *= lengths[i];
        }
        return true;
    }

    /// <summary>Wraps <paramref name="values"/> without copying, as a tensor of <paramref name="shape"/>.</summary>
    public static Tensor<T> Wrap<T>(T[] values, ReadOnlySpan<int> shape) => WrapSegment(new ArraySegment<T>(values), shape);

    /// <summary>Wraps <paramref name="values"/> without copying, as a dense tensor of <paramref name="shape"/> starting at its offset.</summary>
    internal static Tensor<T> WrapSegment<T>(ArraySegment<T> values, ReadOnlySpan<int> shape)
    {
        Span<nint> lengths = stackalloc nint[shape.Length];
        for (int i = 0; i < shape.Length; i++) lengths[i] = shape[i];
        // No strides given: the row-major ones, as Tensor.Create(array, lengths) computes them.
        return Tensor.Create(values.Array!, values.Offset, lengths, ReadOnlySpan<nint>.Empty);
    }

    /// <summary>The tensor's lengths as <see cref="int"/>s.</summary>
    public static int[] Shape<T>(this Tensor<T> tensor)
    {
        var lengths = tensor.Lengths;
        var shape = new int[lengths.Length];
        for (int i = 0; i < shape.Length; i++) shape[i] = checked((int)lengths[i]);
        return shape;
    }

    /// <summary>Number of rows (the batch dimension) of a tensor of rank at least 1.</summary>
    [MethodImpl(HotPath.Options)]
    public static int BatchSize<T>(this Tensor<T> tensor) => tensor.Rank == 0 ? 1 : checked((int)tensor.Lengths[0]);

    /// <summary>Elements per sample: the product of all lengths but the first.</summary>
    [MethodImpl(HotPath.Options)]
    public static int SampleSize<T>(this Tensor<T> tensor)
    {
        var lengths = tensor.Lengths;
        long size = 1;
        for (int i = 1; i < lengths.Length; i++) size *= lengths[i];
        return checked((int)size);
    }

    /// <summary>Formats a shape as <c>[2, 3, 4]</c> for error messages.</summary>
    public static string ShapeText(ReadOnlySpan<nint> lengths)
    {
        var parts = new string[lengths.Length];
        for (int i = 0; i < parts.Length; i++) parts[i] = lengths[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>Formats a shape as <c>[2, 3, 4]</c> for error messages, in the invariant culture (a negative length as <c>-1</c> everywhere).</summary>
    public static string ShapeText<TLength>(IReadOnlyList<TLength> lengths) where TLength : IFormattable
    {
        var parts = new string[lengths.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = lengths[i].ToString(null, System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>Throws when any element is NaN or infinite, naming where and what.</summary>
    internal static void ThrowIfNotFinite<T>(ReadOnlySpan<T> values, string what, int sampleSize)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{what} contains a non-finite value ({values[i]}) at sample {i / Math.Max(1, sampleSize)}, element {i % Math.Max(1, sampleSize)}."));
        }
    }
}
