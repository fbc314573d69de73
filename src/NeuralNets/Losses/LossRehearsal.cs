using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets.Losses;

/// <summary>
/// The warm-ups the library's losses queue when the first one of a type is made (<see cref="KernelWarmUp"/>):
/// a private instance runs forward and back on a few numbers, so that the first step finds their code compiled.
/// </summary>
internal static class LossRehearsal
{
    // 23 classes or values reach every vector width's loop and the scalar tail.
    private const int Batch = 3, Width = 23;

    public static void QueueSoftmaxCrossEntropy<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        KernelWarmUp.Enqueue(typeof(SoftmaxCrossEntropy<T>), RehearseSoftmaxCrossEntropy<T>);

    public static void QueueNegativeLogLikelihood<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        KernelWarmUp.Enqueue(typeof(NegativeLogLikelihood<T>), RehearseNegativeLogLikelihood<T>);

    public static void QueueMeanSquaredError<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        KernelWarmUp.Enqueue(typeof(MeanSquaredError<T>), RehearseMeanSquaredError<T>);

    public static void QueueBinaryCrossEntropyWithLogits<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        KernelWarmUp.Enqueue(typeof(BinaryCrossEntropyWithLogits<T>), RehearseBinaryCrossEntropyWithLogits<T>);

    public static void QueueL1Loss<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        KernelWarmUp.Enqueue(typeof(L1Loss<T>), RehearseL1Loss<T>);

    public static void QueueHuber<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        KernelWarmUp.Enqueue(typeof(Huber<T>), RehearseHuber<T>);

    /// <summary>Weights and smoothing take code paths of their own, so each combination of them is rehearsed (with the caller's class count when weighted).</summary>
    public static void QueueCrossEntropy<T>(IReadOnlyList<double>? classWeights, double labelSmoothing) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[]? weights = classWeights?.ToArray();
        KernelWarmUp.Enqueue((typeof(CrossEntropy<T>), weights is null, labelSmoothing == 0), () => RehearseCrossEntropy<T>(weights, labelSmoothing));
    }

    internal static void RehearseBinaryCrossEntropyWithLogits<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var targets = new T[Batch * Width];
        for (int i = 0; i < targets.Length; i++) targets[i] = T.CreateTruncating(i % 5) / T.CreateTruncating(4);
        Rehearse(new BinaryCrossEntropyWithLogits<T>(), Tensor.Create(targets, [Batch, Width]));
    }

    internal static void RehearseL1Loss<T>() where T : unmanaged, IFloatingPointIeee754<T> => Rehearse(new L1Loss<T>(), Values<T>(2));

    internal static void RehearseHuber<T>() where T : unmanaged, IFloatingPointIeee754<T> => Rehearse(new Huber<T>(), Values<T>(2));

    internal static void RehearseCrossEntropy<T>(double[]? classWeights, double labelSmoothing) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = classWeights?.Length ?? Width;
        Rehearse(new CrossEntropy<T>(classWeights, labelSmoothing), Labels<T>(classes), classes);
    }

    // Ten classes, the common case, take the loss's short-row loops; 23 would compile its long-row path (System.Numerics.Tensors'
    // generic code) that such a network never runs. Three rows of ten still reach every width of the exponential.
    internal static void RehearseSoftmaxCrossEntropy<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Rehearse(new SoftmaxCrossEntropy<T>(), Labels<T>(CommonClasses), CommonClasses);

    private const int CommonClasses = 10;

    internal static void RehearseNegativeLogLikelihood<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Rehearse(new NegativeLogLikelihood<T>(), Labels<T>(CommonClasses), CommonClasses);

    internal static void RehearseMeanSquaredError<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Rehearse(new MeanSquaredError<T>(), Values<T>(2));

    private static void Rehearse<T>(ILoss<T> loss, Tensor<T> target, int width = Width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        KernelWarmUp.PrepareHotPaths(loss.GetType());
        loss.Forward(Values<T>(0, width), target);
        loss.Backward();
    }

    /// <summary>One class index per sample, spread over <paramref name="classes"/>.</summary>
    private static Tensor<T> Labels<T>(int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var labels = new T[Batch];
        for (int i = 0; i < Batch; i++) labels[i] = T.CreateTruncating(i * 5 % classes);
        return Tensor.Create(labels, [Batch]);
    }

    private static Tensor<T> Values<T>(int shift, int width = Width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[Batch * width];
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateTruncating((i + shift) % 9 - 4) / T.CreateTruncating(3);
        return Tensor.Create(values, [Batch, width]);
    }
}
