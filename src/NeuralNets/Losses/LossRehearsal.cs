using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets.Losses;

/// <summary>
/// The warm-ups the library's most used losses queue when the first one of a type is made (<see cref="KernelWarmUp"/>):
/// a private instance runs forward and back on a few numbers, so that the first step finds their code compiled.
/// </summary>
internal static class LossRehearsal
{
    // 23 classes or values reach every vector width's loop and the scalar tail.
    private const int Batch = 3, Width = 23;

    public static void QueueSoftmaxCrossEntropy<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        KernelWarmUp.Enqueue(typeof(SoftmaxCrossEntropy<T>), RehearseSoftmaxCrossEntropy<T>);

    public static void QueueMeanSquaredError<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        KernelWarmUp.Enqueue(typeof(MeanSquaredError<T>), RehearseMeanSquaredError<T>);

    internal static void RehearseSoftmaxCrossEntropy<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var labels = new T[Batch];
        for (int i = 0; i < Batch; i++) labels[i] = T.CreateTruncating(i * 5 % Width);
        Rehearse(new SoftmaxCrossEntropy<T>(), Tensor.Create(labels, [Batch]));
    }

    internal static void RehearseMeanSquaredError<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Rehearse(new MeanSquaredError<T>(), Values<T>(2));

    private static void Rehearse<T>(ILoss<T> loss, Tensor<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        KernelWarmUp.PrepareHotPaths(loss.GetType());
        loss.Forward(Values<T>(0), target);
        loss.Backward();
    }

    private static Tensor<T> Values<T>(int shift) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[Batch * Width];
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateTruncating((i + shift) % 9 - 4) / T.CreateTruncating(3);
        return Tensor.Create(values, [Batch, Width]);
    }
}
