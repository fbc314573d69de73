using System.Globalization;

namespace NeuralNets.Layers;

/// <summary>The check of a layer's list of per-sample lengths (<see cref="Unflatten{T}"/>'s sizes, <see cref="LayerNorm{T}"/>'s normalised shape).</summary>
internal static class SampleLengths
{
    /// <summary>
    /// The number of values <paramref name="lengths"/> hold; refuses an empty list, a length that is not positive, and more
    /// values than one sample can hold, naming <paramref name="layer"/> and the argument <paramref name="paramName"/>.
    /// </summary>
    public static int Count(string layer, IReadOnlyList<int> lengths, string paramName)
    {
        ArgumentNullException.ThrowIfNull(lengths, paramName);
        if (lengths.Count == 0)
            throw new ArgumentException($"{layer} needs at least one length in {paramName}.", paramName);
        for (int i = 0; i < lengths.Count; i++)
            if (lengths[i] <= 0)
                throw new ArgumentOutOfRangeException(paramName,
                    string.Create(CultureInfo.InvariantCulture, $"{layer}'s lengths must be positive, but {paramName}[{i}] was {lengths[i]}."));
        long product = ShapeMismatchException.ValueCount([.. lengths]);
        if (product > int.MaxValue)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{layer}'s lengths {ShapeMismatchException.Format(lengths)} hold {ShapeMismatchException.CountText(product)} values; at most {int.MaxValue} fit a sample."), paramName);
        return (int)product;
    }
}
