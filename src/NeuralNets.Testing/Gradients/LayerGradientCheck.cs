using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Gradients;

/// <summary>
/// The contract's gradient check of one layer: the library's <see cref="GradientCheck.Layer(ILayer{double}, Tensor{double}, GradientCheckOptions)"/>
/// with the scale-aware judgement, after a Forward on another input.
/// </summary>
/// <remarks>
/// The prior pass catches a Backward that reads state of an older pass; the library hands Backward a copy of the projection,
/// rewinds Dropout's streams so training mode can be checked, and judges each element against the central difference's
/// own rounding (<see cref="GradientCheckJudgement.ScaleAware"/>), so correct layers pass at any size and seed.
/// </remarks>
internal static class LayerGradientCheck
{
    /// <summary>Checks <paramref name="layer"/> at <paramref name="input"/>, after a Forward on <paramref name="decoy"/>.</summary>
    /// <param name="layer">The layer; its parameter gradients are overwritten.</param>
    /// <param name="input">The input checked (perturbed in place, then restored).</param>
    /// <param name="decoy">A different input of the same shape, passed through Forward just before the checked pass.</param>
    /// <param name="seed">Seed of the projection.</param>
    /// <param name="training">Passed to every Forward; random streams are rewound before each checked pass, so each draws alike.</param>
    /// <param name="tolerance">The relative error the caller will accept; the floor of the comparison is set from it.</param>
    public static GradientCheckResult Check(ILayer<double> layer, Tensor<double> input, Tensor<double> decoy, int seed, bool training, double tolerance) =>
        GradientCheck.Layer(layer, input, new GradientCheckOptions
        {
            Judgement = GradientCheckJudgement.ScaleAware,
            Tolerance = tolerance,
            Seed = seed,
            Training = training,
            PriorInput = decoy,
        });
}
