using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// The negative log-likelihood of integer class labels under log-probabilities, as PyTorch's
/// <c>NLLLoss(weight=w, ignore_index=i)</c> with mean reduction: <c>L = −Σ_n w[y_n]·ℓ[n, y_n] / W</c> with
/// <c>W = Σ_n w[y_n]</c> (the count of labels without weights), the sums over the labels that are not ignored, and
/// <c>dL/dℓ[n, j] = −w[y_n]·[j = y_n] / W</c>.
/// After a <see cref="LogSoftmax{T}"/> layer it is <see cref="SoftmaxCrossEntropy{T}"/> in two steps, as PyTorch's MNIST
/// example trains (<c>log_softmax</c>, then <c>nll_loss</c>).
/// </summary>
/// <remarks>Targets are class indices stored as whole numbers of <typeparamref name="T"/> in [0, C): for an output
/// <c>[N, C]</c> a tensor <c>[N]</c> (or <c>[N, 1]</c>); for an output <c>[N, C, d1, …]</c> (an image's <c>[N, C, H, W]</c>,
/// after a LogSoftmax over its channels) a tensor <c>[N, d1, …]</c>, one label per position, as PyTorch's K-dimensional
/// loss: the mean is then over all N·d1·… positions. A label equal to the ignored index (null by default: none, and
/// labels outside [0, C) are refused; PyTorch's default is −100) adds nothing to the loss, to <c>W</c> or to the gradient.
/// Class weights give PyTorch's weighted mean, summed in double; all-zero weights on a batch's labels, or every label
/// ignored, give 0/0 = NaN and a zero gradient, as in PyTorch; after LogSoftmax it is then <see cref="CrossEntropy{T}"/>
/// with the same weights and ignored index. The output is taken as it comes: like PyTorch, the loss does not check that
/// it holds log-probabilities.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class NegativeLogLikelihood<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private Tensor<T>? _output;
    private Tensor<T>? _target;
    private readonly double[]? _weights;
    private double _weightTotal;
    private int _positions;

    /// <summary>Creates the loss. The first one of its element type in a process starts compiling its passes on another core.</summary>
    /// <param name="classWeights">One weight per class, finite and non-negative (PyTorch's <c>weight</c>); null for all ones.</param>
    /// <param name="ignoreIndex">A label that marks a target to leave out (PyTorch's <c>ignore_index</c>, whose default is −100); null for none.</param>
    /// <exception cref="ArgumentException">The weights are empty, or one is negative, infinite or NaN.</exception>
    public NegativeLogLikelihood(IReadOnlyList<double>? classWeights = null, int? ignoreIndex = null)
    {
        _weights = LossChecks.ClassWeights(classWeights);
        IgnoreIndex = ignoreIndex;
        LossRehearsal.QueueNegativeLogLikelihood<T>();
    }

    /// <summary>The class weights, or null when every class weighs 1.</summary>
    public IReadOnlyList<double>? ClassWeights => _weights;

    /// <summary>The label that marks a target to leave out, or null when every label counts.</summary>
    public int? IgnoreIndex { get; }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        int positions = LossChecks.ClassIndices(this, output, target, IgnoreIndex);
        _output = output;
        _target = target;
        _positions = positions;
        int batch = output.BatchSize(), classes = checked((int)output.Lengths[1]);
        ReadOnlySpan<T> logProbabilities = output.Span(), labels = target.Span();
        if (_weights is not null || IgnoreIndex is not null) return WeightedForward(logProbabilities, labels, batch, classes, positions);
        T total = T.Zero;
        for (int n = 0; n < batch; n++)
            for (int p = 0; p < positions; p++)
                total -= logProbabilities[(n * classes + int.CreateTruncating(labels[n * positions + p])) * positions + p];
        return total / T.CreateChecked(labels.Length);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward()
    {
        var output = _output ?? throw PassOrder.BackwardBeforeForward(this);
        int batch = output.BatchSize(), classes = checked((int)output.Lengths[1]), positions = _positions;
        var gradient = _gradient.GetLike(output);
        var g = gradient.Span();
        ReadOnlySpan<T> labels = _target!.Span();
        g.Clear();
        bool weighted = _weights is not null || IgnoreIndex is not null;
        T share = -(T.One / T.CreateChecked(labels.Length));
        for (int n = 0; n < batch; n++)
        {
            for (int p = 0; p < positions; p++)
            {
                T label = labels[n * positions + p];
                if (IsIgnored(label)) continue;
                int c = int.CreateTruncating(label);
                g[(n * classes + c) * positions + p] = weighted ? T.CreateTruncating(-Weight(c) / _weightTotal) : share;
            }
        }
        return gradient;
    }

    // −Σ w[y]·ℓ[y] / Σ w[y] over the labels not ignored, in double; their total weight is kept for the backward pass.
    [MethodImpl(HotPath.Options)]
    private T WeightedForward(ReadOnlySpan<T> logProbabilities, ReadOnlySpan<T> labels, int batch, int classes, int positions)
    {
        if (_weights is not null && _weights.Length != classes) throw WeightsDoNotFit(classes);
        double total = 0, weightTotal = 0;
        for (int n = 0; n < batch; n++)
        {
            for (int p = 0; p < positions; p++)
            {
                T label = labels[n * positions + p];
                if (IsIgnored(label)) continue;
                int c = int.CreateTruncating(label);
                weightTotal += Weight(c);
                total -= Weight(c) * double.CreateTruncating(logProbabilities[(n * classes + c) * positions + p]);
            }
        }
        _weightTotal = weightTotal;
        return T.CreateTruncating(total / weightTotal);
    }

    private bool IsIgnored(T label) => IgnoreIndex is { } ignored && label == T.CreateTruncating(ignored);

    private double Weight(int c) => _weights is null ? 1 : _weights[c];

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"NegativeLogLikelihood({LossText.Settings(_weights, IgnoreIndex).TrimStart(',', ' ')})");

    // Built apart, so that the pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ArgumentException WeightsDoNotFit(int classes) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{this}: {_weights!.Length} class weights for {classes} classes."), "output");
}
