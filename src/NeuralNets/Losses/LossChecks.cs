using System.Globalization;
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
    [MethodImpl(HotPath.Options)]
    public static void SameShape<T>(object loss, Tensor<T> output, Tensor<T> target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        // Messages built apart, as in ClassIndices below.
        if (!output.Lengths.SequenceEqual(target.Lengths)) throw NotTheOutputsShape(loss, output, target);
        if (output.FlattenedLength == 0) throw EmptyBatch(loss);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ShapeMismatchException NotTheOutputsShape<T>(object loss, Tensor<T> output, Tensor<T> target) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{loss} target"), TensorMemory.ShapeText(output.Lengths), target.Shape(), "targets must have the output's shape");

    /// <summary>
    /// A copy of <paramref name="classWeights"/> (one per class, finite and non-negative, as PyTorch's <c>weight</c>), or null
    /// for none.
    /// </summary>
    /// <param name="classWeights">The weights a loss was given, or null.</param>
    /// <returns>The copy, or null.</returns>
    /// <exception cref="ArgumentException">The list is empty, or a weight is negative, infinite or NaN; the message names it.</exception>
    public static double[]? ClassWeights(IReadOnlyList<double>? classWeights)
    {
        if (classWeights is null) return null;
        if (classWeights.Count == 0) throw new ArgumentException("Class weights must not be empty.", nameof(classWeights));
        for (int c = 0; c < classWeights.Count; c++)
            if (!double.IsFinite(classWeights[c]) || classWeights[c] < 0)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Class weight {c} is {classWeights[c]}; weights must be finite and non-negative."), nameof(classWeights));
        return [.. classWeights];
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
        // Every message is built in a method of its own: this check runs compiled fully optimised from its first call, and
        // formatting inline would compile code only a mistake runs.
        if (output.Rank != 2) throw NotLogits(loss, output);
        int batch = output.BatchSize(), classes = output.SampleSize();
        if (batch == 0) throw EmptyBatch(loss);
        if (target.FlattenedLength != batch || target.Rank > 2 || (target.Rank == 2 && target.Lengths[1] != 1))
            throw NotOneLabelPerSample(loss, batch, target);
        ReadOnlySpan<T> labels = target.Span();
        T end = T.CreateChecked(classes);
        for (int i = 0; i < labels.Length; i++)
        {
            T label = labels[i];
            if (!T.IsInteger(label) || label < T.Zero || label >= end) throw LabelOutOfRange(loss, label, i, classes);
        }
    }

    /// <summary>
    /// Checks class scores <c>[N, C, d1, …]</c> against class indices <c>[N, d1, …]</c> as PyTorch's K-dimensional
    /// classification losses take them (for <c>[N, C]</c> the indices are <c>[N]</c> or <c>[N, 1]</c>): each label a whole number
    /// in [0, C), or <paramref name="ignoreIndex"/>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="loss">The loss, named in messages by its <c>ToString()</c>.</param>
    /// <param name="output">The scores, <c>[N, C]</c> or <c>[N, C, d1, …]</c> (an image's <c>[N, C, H, W]</c>).</param>
    /// <param name="target">The class indices.</param>
    /// <param name="ignoreIndex">A label that marks a position to leave out (PyTorch's <c>ignore_index</c>), or null for none.</param>
    /// <returns>The positions in a sample, d1·d2·… (1 for <c>[N, C]</c>).</returns>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ShapeMismatchException">The scores have rank below 2, or the indices are not the scores' shape without its class axis.</exception>
    /// <exception cref="ArgumentException">The batch is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is neither a whole number in [0, C) nor the ignored index; the message names where.</exception>
    [MethodImpl(HotPath.Options)]
    public static int ClassIndices<T>(object loss, Tensor<T> output, Tensor<T> target, int? ignoreIndex)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        if (output.Rank < 2) throw NotClassScores(loss, output);
        if (output.FlattenedLength == 0) throw EmptyBatch(loss);
        int batch = output.BatchSize(), classes = checked((int)output.Lengths[1]), positions = 1;
        for (int axis = 2; axis < output.Rank; axis++) positions = checked(positions * (int)output.Lengths[axis]);
        if (!OnePerPosition(output, target)) throw NotOneLabelPerPosition(loss, output, target);
        ReadOnlySpan<T> labels = target.Span();
        T end = T.CreateChecked(classes), ignored = ignoreIndex is { } index ? T.CreateChecked(index) : T.NaN;
        for (int i = 0; i < labels.Length; i++)
        {
            T label = labels[i];
            // NaN, the ignored label when there is none, equals nothing.
            if (label == ignored) continue;
            if (!T.IsInteger(label) || label < T.Zero || label >= end) throw LabelOutOfRange(loss, label, i, positions, classes, ignoreIndex);
        }
        return positions;
    }

    // [N, C] takes [N] or [N, 1]; [N, C, d1, …] takes [N, d1, …] exactly.
    private static bool OnePerPosition<T>(Tensor<T> output, Tensor<T> target)
    {
        if (output.Rank == 2)
            return target.FlattenedLength == output.Lengths[0] && (target.Rank == 1 || (target.Rank == 2 && target.Lengths[1] == 1));
        if (target.Rank != output.Rank - 1 || target.Lengths[0] != output.Lengths[0]) return false;
        for (int axis = 1; axis < target.Rank; axis++)
            if (target.Lengths[axis] != output.Lengths[axis + 1]) return false;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ShapeMismatchException NotClassScores<T>(object loss, Tensor<T> output) => new(loss.ToString()!, "[N, classes] or [N, classes, d1, …]", output.Shape());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ShapeMismatchException NotOneLabelPerPosition<T>(object loss, Tensor<T> output, Tensor<T> target)
    {
        var lengths = output.Lengths;
        string expected = output.Rank == 2
            ? string.Create(CultureInfo.InvariantCulture, $"[{lengths[0]}] (one class index per sample)")
            : string.Create(CultureInfo.InvariantCulture, $"{TensorMemory.ShapeText([lengths[0], .. lengths[2..]])} (one class index per position: the output {TensorMemory.ShapeText(lengths)} without its class axis)");
        return new(string.Create(CultureInfo.InvariantCulture, $"{loss} labels"), expected, target.Shape());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentOutOfRangeException LabelOutOfRange<T>(object loss, T label, int index, int positions, int classes, int? ignoreIndex)
    {
        string where = positions == 1
            ? string.Create(CultureInfo.InvariantCulture, $"of sample {index}")
            : string.Create(CultureInfo.InvariantCulture, $"at target index {index} (sample {index / positions})");
        string notIgnored = ignoreIndex is { } ignored ? string.Create(CultureInfo.InvariantCulture, $" and is not the ignored index {ignored}") : "";
        return new("target", string.Create(CultureInfo.InvariantCulture, $"{loss}: label {label} {where} is outside the class range [0, {classes}){notIgnored}."));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ShapeMismatchException NotLogits<T>(object loss, Tensor<T> output) => new(loss.ToString()!, "[N, classes]", output.Shape(),
        output.Rank > 2 ? "a label per position of [N, classes, d1, …] takes CrossEntropy or NegativeLogLikelihood" : null);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException EmptyBatch(object loss) => new(string.Create(CultureInfo.InvariantCulture, $"{loss}: the batch is empty."), "output");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ShapeMismatchException NotOneLabelPerSample<T>(object loss, int batch, Tensor<T> target) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{loss} labels"), string.Create(CultureInfo.InvariantCulture, $"[{batch}] (one class index per sample)"), target.Shape());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentOutOfRangeException LabelOutOfRange<T>(object loss, T label, int sample, int classes) =>
        new("target", string.Create(CultureInfo.InvariantCulture, $"{loss}: label {label} of sample {sample} is outside the class range [0, {classes})."));
}
