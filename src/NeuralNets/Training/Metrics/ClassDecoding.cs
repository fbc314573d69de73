using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Training.Metrics;

/// <summary>
/// Reads the predicted and the true class of a sample, for the three ways a classifier's targets come: a class index
/// per sample against one output per class, a one-hot row against the same, or a 0/1 target against a single logit.
/// </summary>
internal static class ClassDecoding
{
    /// <summary>The output and target widths of a batch; throws when the spans do not hold whole rows.</summary>
    public static (int OutputWidth, int TargetWidth) Widths<T>(string metric, ReadOnlySpan<T> output, ReadOnlySpan<T> target, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), FormattableString.Invariant($"{metric}: the batch size must be positive, but was {batchSize}."));
        if (output.Length == 0 || output.Length % batchSize != 0 || target.Length == 0 || target.Length % batchSize != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{metric}: a batch of {batchSize} samples needs whole rows, but the output holds {output.Length} values and the target {target.Length}."));
        return (output.Length / batchSize, target.Length / batchSize);
    }

    /// <summary>The class a row of outputs predicts: the index of the largest output, or for a single output, 1 when it exceeds <paramref name="threshold"/>.</summary>
    public static int Predicted<T>(ReadOnlySpan<T> output, T threshold) where T : unmanaged, IFloatingPointIeee754<T> =>
        output.Length == 1 ? (output[0] > threshold ? 1 : 0) : TensorPrimitives.IndexOfMax(output);

    /// <summary>The true class of sample <paramref name="sample"/> from its target row.</summary>
    /// <exception cref="ArgumentException">The target is neither a class index below <paramref name="outputWidth"/>, nor a one-hot row, nor a binary 0/1.</exception>
    public static int Actual<T>(string metric, ReadOnlySpan<T> target, int outputWidth, int sample) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (target.Length == 1)
        {
            T t = target[0];
            if (outputWidth == 1)
            {
                // Soft targets (label smoothing's 0.05 and 0.95) name the class they lean to.
                if (t >= T.Zero && t <= T.One) return t > T.CreateChecked(0.5) ? 1 : 0;
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{metric}: the target of sample {sample} is {t}, but a single output needs targets in [0, 1] (1 for the positive class)."));
            }
            if (!T.IsInteger(t) || t < T.Zero || t >= T.CreateChecked(outputWidth))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{metric}: the target of sample {sample} is {t}, which is not a class index in [0, {outputWidth}) for an output of {outputWidth} values."));
            return int.CreateTruncating(t);
        }
        if (target.Length == outputWidth) return TensorPrimitives.IndexOfMax(target);
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"{metric}: targets of {target.Length} values per sample fit neither class indices (1 per sample) nor one-hot rows of the output's {outputWidth} values."));
    }

    /// <summary>The number of classes an output of <paramref name="outputWidth"/> values tells apart (2 for a single logit).</summary>
    public static int ClassCount(int outputWidth) => outputWidth == 1 ? 2 : outputWidth;
}
