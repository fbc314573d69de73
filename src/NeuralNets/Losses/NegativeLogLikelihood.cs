using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// The negative log-likelihood of integer class labels under log-probabilities, as PyTorch's <c>NLLLoss(weight=w)</c>
/// with mean reduction: <c>L = −Σ_n w[y_n]·ℓ[n, y_n] / W</c> with <c>W = Σ_n w[y_n]</c> (N without weights), and
/// <c>dL/dℓ[n, j] = −w[y_n]·[j = y_n] / W</c>.
/// After a <see cref="LogSoftmax{T}"/> layer it is <see cref="SoftmaxCrossEntropy{T}"/> in two steps, as PyTorch's MNIST
/// example trains (<c>log_softmax</c>, then <c>nll_loss</c>).
/// </summary>
/// <remarks>Targets as <see cref="SoftmaxCrossEntropy{T}"/>'s: a tensor <c>[N]</c> (or <c>[N, 1]</c>) of class indices
/// stored as whole numbers of <typeparamref name="T"/> in [0, C); there is no ignored index (PyTorch's −100 is refused as out
/// of range). Class weights give PyTorch's weighted mean, summed in double; all-zero weights on a batch's labels give
/// 0/0 = NaN, as in PyTorch; after LogSoftmax it is then <see cref="CrossEntropy{T}"/> with the same weights. The output <c>[N, C]</c> is taken as it comes: like PyTorch, the loss does not check that
/// its rows are log-probabilities.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class NegativeLogLikelihood<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private Tensor<T>? _output;
    private Tensor<T>? _target;
    private readonly double[]? _weights;
    private double _weightTotal;

    /// <summary>Creates the loss. The first one of its element type in a process starts compiling its passes on another core.</summary>
    /// <param name="classWeights">One weight per class, finite and non-negative (PyTorch's <c>weight</c>); null for all ones.</param>
    /// <exception cref="ArgumentException">The weights are empty, or one is negative, infinite or NaN.</exception>
    public NegativeLogLikelihood(IReadOnlyList<double>? classWeights = null)
    {
        _weights = LossChecks.ClassWeights(classWeights);
        LossRehearsal.QueueNegativeLogLikelihood<T>();
    }

    /// <summary>The class weights, or null when every class weighs 1.</summary>
    public IReadOnlyList<double>? ClassWeights => _weights;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.ClassIndices(this, output, target);
        _output = output;
        _target = target;
        int batch = output.BatchSize(), classes = output.SampleSize();
        ReadOnlySpan<T> logProbabilities = output.Span(), labels = target.Span();
        if (_weights is not null) return WeightedForward(logProbabilities, labels, batch, classes);
        T total = T.Zero;
        for (int n = 0; n < batch; n++) total -= logProbabilities[n * classes + int.CreateTruncating(labels[n])];
        return total / T.CreateChecked(batch);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward()
    {
        var output = _output ?? throw PassOrder.BackwardBeforeForward(this);
        int batch = output.BatchSize(), classes = output.SampleSize();
        var gradient = _gradient.GetLike(output);
        var g = gradient.Span();
        ReadOnlySpan<T> labels = _target!.Span();
        g.Clear();
        if (_weights is not null)
        {
            for (int n = 0; n < batch; n++)
            {
                int label = int.CreateTruncating(labels[n]);
                g[n * classes + label] = T.CreateTruncating(-_weights[label] / _weightTotal);
            }
            return gradient;
        }
        T share = -(T.One / T.CreateChecked(batch));
        for (int n = 0; n < batch; n++) g[n * classes + int.CreateTruncating(labels[n])] = share;
        return gradient;
    }

    // −Σ w[y_n]·ℓ[n, y_n] / Σ w[y_n], in double; the labels' total weight is kept for the backward pass.
    [MethodImpl(HotPath.Options)]
    private T WeightedForward(ReadOnlySpan<T> logProbabilities, ReadOnlySpan<T> labels, int batch, int classes)
    {
        if (_weights!.Length != classes) throw WeightsDoNotFit(classes);
        double total = 0, weightTotal = 0;
        for (int n = 0; n < batch; n++)
        {
            int label = int.CreateTruncating(labels[n]);
            weightTotal += _weights[label];
            total -= _weights[label] * double.CreateTruncating(logProbabilities[n * classes + label]);
        }
        _weightTotal = weightTotal;
        return T.CreateTruncating(total / weightTotal);
    }

    /// <inheritdoc/>
    public override string ToString() => _weights is null ? "NegativeLogLikelihood()" : string.Create(CultureInfo.InvariantCulture,
        $"NegativeLogLikelihood(classWeights=[{string.Join(", ", _weights.Select(w => w.ToString(CultureInfo.InvariantCulture)))}])");

    // Built apart, so that the pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ArgumentException WeightsDoNotFit(int classes) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{this}: {_weights!.Length} class weights for {classes} classes."), "output");
}
