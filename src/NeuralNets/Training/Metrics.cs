using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Training;

/// <summary>Counts correct predictions for the classification losses.</summary>
internal static class Metrics
{
    /// <summary>Whether accuracy means something for <paramref name="loss"/> with outputs of <paramref name="outputSize"/> per sample.</summary>
    public static bool HasAccuracy<T>(ILoss<T> loss, int outputSize) where T : unmanaged, IFloatingPointIeee754<T> =>
        loss.TakesClassIndices || (loss is BinaryCrossEntropyWithLogits<T> && outputSize == 1);

    /// <summary>Samples whose argmax (or, for one logit, whose sign) matches the target.</summary>
    public static int CountCorrect<T>(Tensor<T> output, ReadOnlySpan<T> targets) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = output.BatchSize(), width = output.SampleSize();
        ReadOnlySpan<T> values = output.Span();
        int correct = 0;
        for (int n = 0; n < batch; n++)
        {
            if (width == 1)
            {
                bool predicted = values[n] > T.Zero;
                bool actual = targets[n] > T.CreateChecked(0.5);
                if (predicted == actual) correct++;
            }
            else if (TensorPrimitives.IndexOfMax(values.Slice(n * width, width)) == int.CreateTruncating(targets[n])) correct++;
        }
        return correct;
    }
}
