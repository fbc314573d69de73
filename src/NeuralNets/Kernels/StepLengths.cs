using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>The length check every optimizer kernel makes before its loops, which read all spans at the same indices.</summary>
internal static class StepLengths
{
    /// <summary>Throws unless every length in <paramref name="lengths"/> is the first.</summary>
    /// <param name="update">The update, for the message, e.g. "Momentum's update".</param>
    /// <param name="lengths">The lengths of the spans it reads and writes, the weights' first.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Check(string update, params ReadOnlySpan<int> lengths)
    {
        foreach (int length in lengths)
            if (length != lengths[0])
                throw new ArgumentException($"{update} over spans of {TensorMemory.ShapeText(lengths.ToArray())} elements; they must be equally long.");
    }
}
