using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Classes and probabilities from a classifier's outputs: softmax over the outputs of a network with several,
/// the logistic sigmoid of the one output of a binary classifier. Safe from any number of threads at once, as
/// <see cref="Sequential{T}.Predict(Tensor{T})"/> is, on which they run; for a <see cref="Sequential{T}"/> or a <see cref="FrozenNetwork{T}"/>.
/// </summary>
/// <remarks>A network whose last layer is already <see cref="Softmax{T}"/> or <see cref="Sigmoid{T}"/> outputs probabilities:
/// they are returned as they are, not squashed twice. One whose last layer is <see cref="LogSoftmax{T}"/> outputs their
/// logarithms: the probabilities are their exponentials.</remarks>
public static class SequentialPredictions
{
    /// <summary>The most probable class of each sample of <paramref name="batch"/>: the index of the largest output, or for a single output 1 when its probability is at least ½.</summary>
    /// <exception cref="InvalidOperationException">The network's output per sample is not a vector of scores.</exception>
    public static int[] PredictClass<T>(this Sequential<T> network, Tensor<T> batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var output = network.Predict(batch);
        int classes = Scores(network, output);
        var values = output.Span();
        var result = new int[values.Length / classes];
        for (int i = 0; i < result.Length; i++) result[i] = ClassOf(network, values.Slice(i * classes, classes));
        return result;
    }

    /// <summary>The most probable class of one sample (its elements in row-major order).</summary>
    /// <exception cref="InvalidOperationException">The network's output per sample is not a vector of scores.</exception>
    public static int PredictClass<T>(this Sequential<T> network, ReadOnlySpan<T> sample) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var output = network.Predict(sample);
        CheckVector(network);
        return ClassOf(network, output);
    }

    /// <summary>
    /// Class probabilities <c>[N, K]</c> for a batch: the softmax of each sample's outputs (rows sum to 1), or for a
    /// single-output network <c>[N, 1]</c> holding the sigmoid of the output, the probability of class 1.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network's output per sample is not a vector of scores.</exception>
    public static Tensor<T> PredictProbabilities<T>(this Sequential<T> network, Tensor<T> batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var output = network.Predict(batch);
        int classes = Scores(network, output);
        var values = output.Span();
        for (int start = 0; start < values.Length; start += classes) ToProbabilities(network, values.Slice(start, classes));
        return output;
    }

    /// <summary>Class probabilities for one sample: as <see cref="PredictProbabilities{T}(Sequential{T}, Tensor{T})"/> for a batch of one.</summary>
    /// <exception cref="InvalidOperationException">The network's output per sample is not a vector of scores.</exception>
    public static T[] PredictProbabilities<T>(this Sequential<T> network, ReadOnlySpan<T> sample) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var output = network.Predict(sample);
        CheckVector(network);
        ToProbabilities(network, output);
        return output;
    }

    /// <summary>As <see cref="PredictClass{T}(Sequential{T}, Tensor{T})"/>, on a frozen network.</summary>
    /// <exception cref="InvalidOperationException">The network's output per sample is not a vector of scores.</exception>
    public static int[] PredictClass<T>(this FrozenNetwork<T> network, Tensor<T> batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Network.PredictClass(batch);
    }

    /// <summary>As <see cref="PredictClass{T}(Sequential{T}, ReadOnlySpan{T})"/>, on a frozen network.</summary>
    /// <exception cref="InvalidOperationException">The network's output per sample is not a vector of scores.</exception>
    public static int PredictClass<T>(this FrozenNetwork<T> network, ReadOnlySpan<T> sample) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Network.PredictClass(sample);
    }

    /// <summary>As <see cref="PredictProbabilities{T}(Sequential{T}, Tensor{T})"/>, on a frozen network.</summary>
    /// <exception cref="InvalidOperationException">The network's output per sample is not a vector of scores.</exception>
    public static Tensor<T> PredictProbabilities<T>(this FrozenNetwork<T> network, Tensor<T> batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Network.PredictProbabilities(batch);
    }

    /// <summary>As <see cref="PredictProbabilities{T}(Sequential{T}, ReadOnlySpan{T})"/>, on a frozen network.</summary>
    /// <exception cref="InvalidOperationException">The network's output per sample is not a vector of scores.</exception>
    public static T[] PredictProbabilities<T>(this FrozenNetwork<T> network, ReadOnlySpan<T> sample) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Network.PredictProbabilities(sample);
    }

    private static int ClassOf<T>(Sequential<T> network, ReadOnlySpan<T> scores) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (scores.Length > 1) return TensorPrimitives.IndexOfMax(scores);
        // The sigmoid is at least ½ exactly where its input is at least 0.
        T threshold = network.Layers[^1] is Sigmoid<T> ? T.CreateChecked(0.5) : T.Zero;
        return scores[0] >= threshold ? 1 : 0;
    }

    private static void ToProbabilities<T>(Sequential<T> network, Span<T> scores) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.Layers[^1] is Softmax<T> or Sigmoid<T>) return;
        if (network.Layers[^1] is LogSoftmax<T>)
        {
            Exponential.Compute<T>(scores, scores);
            return;
        }
        if (scores.Length == 1)
        {
            scores[0] = T.One / (T.One + T.Exp(-scores[0]));
            return;
        }
        // Shifted by the maximum, so that no exponent overflows.
        T max = TensorPrimitives.Max<T>(scores);
        TensorPrimitives.Subtract(scores, max, scores);
        TensorPrimitives.Exp<T>(scores, scores);
        TensorPrimitives.Divide(scores, TensorPrimitives.Sum<T>(scores), scores);
    }

    private static int Scores<T>(Sequential<T> network, Tensor<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (output.Rank != 2)
            throw new InvalidOperationException($"Classes and probabilities need a network that outputs one vector of scores per sample, shape [N, K]; {network.Layers[^1]} outputs {TensorMemory.ShapeText(output.Lengths)}.");
        return output.SampleSize();
    }

    private static void CheckVector<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.OutputShapeOfNetwork is { Count: not 1 } shape)
            throw new InvalidOperationException($"Classes and probabilities need a network that outputs one vector of scores per sample; this one outputs {TensorMemory.ShapeText(shape)} per sample.");
    }
}
