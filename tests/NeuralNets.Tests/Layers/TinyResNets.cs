using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>The small ResNet the residual tests train: a stem, an identity block, a block with a strided projection, a head.</summary>
internal static class TinyResNets
{
    /// <summary>
    /// Conv2D(<paramref name="width"/>, 3, bias: false)-BatchNorm2D-activation; a BasicBlock of <paramref name="width"/> channels
    /// with the identity shortcut; one of <paramref name="wider"/> channels at stride 2 with a 1×1 Conv2D and a BatchNorm2D as its
    /// shortcut, each followed by the activation; GlobalAvgPool2D and Dense(<paramref name="classes"/>). The activation is
    /// ReLU, or Tanh where <paramref name="tanh"/> (for finite differences, which a ReLU's kink would straddle).
    /// </summary>
    public static Sequential<T> Build<T>(int[] inputShape, int width, int wider, int classes, int seed, bool tanh = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SequentialBuilder<T> Act(SequentialBuilder<T> b) => tanh ? b.Tanh() : b.ReLU();
        var stem = Act(Network.Sequential<T>(inputShape).Conv2D(width, 3, padding: 1, bias: false).BatchNorm2D());
        var first = Act(stem.Residual(b => Act(b.Conv2D(width, 3, padding: 1, bias: false).BatchNorm2D()).Conv2D(width, 3, padding: 1, bias: false).BatchNorm2D()));
        var second = Act(first.Residual(b => Act(b.Conv2D(wider, 3, stride: 2, padding: 1, bias: false).BatchNorm2D()).Conv2D(wider, 3, padding: 1, bias: false).BatchNorm2D(),
            shortcut: s => s.Conv2D(wider, 1, stride: 2, bias: false).BatchNorm2D()));
        return second.GlobalAvgPool2D().Dense(classes).Build(seed);
    }
}
