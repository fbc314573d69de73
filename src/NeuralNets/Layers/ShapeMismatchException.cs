using System.Globalization;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>Thrown when a tensor's shape does not fit the layer or loss it is given to; the message names both.</summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ShapeMismatchException() : base("A tensor's shape does not fit the layer it was given to.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ShapeMismatchException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public ShapeMismatchException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for <paramref name="layer"/>, with the shape it expected and the one it got.</summary>
    public ShapeMismatchException(string layer, string expected, IReadOnlyList<int> actual, string? detail = null)
        : base($"{layer}: expected input of shape {expected} but got {Format(actual)}" + (detail is null ? "." : $" ({detail})."))
    {
        Layer = layer;
        Expected = expected;
        Actual = actual.ToArray();
    }

    /// <summary>The layer (or loss) that rejected the input, as it prints itself; empty when not given.</summary>
    public string Layer { get; } = "";

    /// <summary>The expected shape, as text (it may contain a free batch dimension, e.g. <c>[N, 784]</c>); empty when not given.</summary>
    public string Expected { get; } = "";

    /// <summary>The shape that came; empty when not given.</summary>
    public IReadOnlyList<int> Actual { get; } = [];

    internal static string Format(IReadOnlyList<int> shape) => TensorMemory.ShapeText(shape);

    /// <summary>The number of values a shape of positive lengths holds, or <see cref="long.MaxValue"/> when that would overflow a long.</summary>
    internal static long ValueCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d > 0 && count > long.MaxValue / d) return long.MaxValue;
            count *= d;
        }
        return count;
    }

    /// <summary>A count from <see cref="ValueCount"/> as text: exact, or "more than …" when it saturated.</summary>
    internal static string CountText(long count) =>
        (count == long.MaxValue ? "more than " : "") + count.ToString(CultureInfo.InvariantCulture);
}
