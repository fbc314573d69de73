using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// The negative log-likelihood of integer class labels under log-probabilities, as PyTorch's <c>NLLLoss()</c>:
/// <c>L = −(1/N) Σ_n ℓ[n, y_n]</c>, <c>dL/dℓ[n, j] = −[j = y_n] / N</c>.
/// After a <see cref="LogSoftmax{T}"/> layer it is <see cref="SoftmaxCrossEntropy{T}"/> in two steps, as PyTorch's MNIST
/// example trains (<c>log_softmax</c>, then <c>nll_loss</c>).
/// </summary>
/// <remarks>Targets as <see cref="SoftmaxCrossEntropy{T}"/>'s: a tensor <c>[N]</c> (or <c>[N, 1]</c>) of class indices
/// stored as whole numbers of <typeparamref name="T"/> in [0, C); there is no ignored index (PyTorch's −100 is refused as out
/// of range) and no class weights. The output <c>[N, C]</c> is taken as it comes: like PyTorch, the loss does not check that
/// its rows are log-probabilities.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class NegativeLogLikelihood<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <summary>Creates the loss. The first one of its element type in a process starts compiling its passes on another core.</summary>
    public NegativeLogLikelihood() => LossRehearsal.QueueNegativeLogLikelihood<T>();

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.ClassIndices(this, output, target);
        _output = output;
        _target = target;
        int batch = output.BatchSize(), classes = output.SampleSize();
        ReadOnlySpan<T> logProbabilities = output.Span(), labels = target.Span();
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
        T share = -(T.One / T.CreateChecked(batch));
        for (int n = 0; n < batch; n++) g[n * classes + int.CreateTruncating(labels[n])] = share;
        return gradient;
    }

    /// <inheritdoc/>
    public override string ToString() => "NegativeLogLikelihood()";
}
