using NeuralNets.Tensors;

namespace NeuralNets;

/// <summary>Thrown when a tensor's shape does not fit the layer or loss it is given to; the message names both.</summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="layer"/>, with the shape it expected and the one it got.</summary>
    public ShapeMismatchException(string layer, string expected, IReadOnlyList<int> actual, string? detail = null)
        : base($"{layer}: expected input of shape {expected} but got {Format(actual)}" + (detail is null ? "." : $" ({detail})."))
    {
        Layer = layer;
        Expected = expected;
        Actual = actual.ToArray();
    }

    /// <summary>The layer (or loss) that rejected the input, as it prints itself.</summary>
    public string Layer { get; }

    /// <summary>The expected shape, as text (it may contain a free batch dimension, e.g. <c>[N, 784]</c>).</summary>
    public string Expected { get; }

    /// <summary>The shape that came.</summary>
    public IReadOnlyList<int> Actual { get; }

    internal static string Format(IReadOnlyList<int> shape) => TensorMemory.ShapeText(shape.ToArray().AsSpan());
}
