using NeuralNets.Layers;

namespace NeuralNets.Benchmarks;

/// <summary>Zeroes gradients the way <see cref="Training.Trainer{T}"/> does inside its step.</summary>
internal static class TrainerZeroing
{
    /// <summary>
    /// The Trainer's deferred zero, so that a timed step costs what a training step costs: the public
    /// <see cref="Sequential{T}.ZeroGradients"/> clears at once (a caller may look at the gradient in between).
    /// </summary>
    public static void ZeroGradientsDeferred(Sequential<float> network)
    {
        var parameters = network.Parameters;
        for (int i = 0; i < parameters.Count; i++) parameters[i].ZeroGradientDeferred();
    }
}
