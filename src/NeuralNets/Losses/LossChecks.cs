using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// Input checks shared by the losses, with messages that name the loss and the shapes: call one first in a loss's
/// <see cref="ILoss{T}.Forward"/>, so that a wrong target fails there and not as an index out of range.
/// </summary>
public static class LossChecks
{
    /// <summary>Checks that <paramref name="target"/> has exactly the lengths of <paramref name="output"/> and that the batch is not empty.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="loss">The loss, named in messages by its <c>ToString()</c>.</param>
    /// <param name="output">The network's output.</param>
    /// <param name="target">The targets.</param>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ShapeMismatchException">The shapes differ; the message names the loss and both shapes.</exception>
    /// <exception cref="ArgumentException">The batch is empty.</exception>
    public static void SameShape<T>(object loss, Tensor<T> output, Tensor<T> target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        if (!output.Lengths.SequenceEqual(target.Lengths))
            throw new ShapeMismatchException($"{loss} target", TensorMemory.ShapeText(output.Lengths), target.Shape(), "targets must have the output's shape");
        if (output.FlattenedLength == 0) throw new ArgumentException($"{loss}: the batch is empty.", nameof(output));
    }

    /// <summary>Checks <c>[N, C]</c> logits against <c>[N]</c> (or <c>[N, 1]</c>) class indices that are whole numbers in [0, C).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="loss">The loss, named in messages by its <c>ToString()</c>.</param>
    /// <param name="output">The logits, <c>[N, C]</c>.</param>
    /// <param name="target">The class indices.</param>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ShapeMismatchException">The logits are not of rank 2, or there is not one label per sample.</exception>
    /// <exception cref="ArgumentException">The batch is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is not a whole number in [0, C); the message names the sample.</exception>
    [MethodImpl(HotPath.Options)]
    public static void ClassIndices<T>(object loss, Tensor<T> output, Tensor<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        if (output.Rank != 2) throw new ShapeMismatchException(loss.ToString()!, "[N, classes]", output.Shape());
        int batch = output.BatchSize(), classes = output.SampleSize();
        if (batch == 0) throw new ArgumentException($"{loss}: the batch is empty.", nameof(output));
        if (target.FlattenedLength != batch || target.Rank > 2 || (target.Rank == 2 && target.Lengths[1] != 1))
            throw new ShapeMismatchException($"{loss} labels", $"[{batch}] (one class index per sample)", target.Shape());
        ReadOnlySpan<T> labels = target.Span();
        for (int i = 0; i < labels.Length; i++)
        {
            T label = labels[i];
            if (!T.IsInteger(label) || label < T.Zero || label >= T.CreateChecked(classes))
                throw new ArgumentOutOfRangeException(nameof(target), label,
                    $"{loss}: label {label} of sample {i} is outside the class range [0, {classes}).");
        }
    }
}
