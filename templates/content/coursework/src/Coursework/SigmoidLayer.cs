using System.Numerics.Tensors;

namespace Coursework;

public sealed partial class SigmoidLayer
{
    /// <summary>y = σ(x) = 1 / (1 + e⁻ˣ) for every element; the output has the input's shape.</summary>
    public Tensor<double> Forward(Tensor<double> input, bool training)
    {
        throw new NotImplementedException("SigmoidLayer.Forward is yours to write.");
    }

    /// <summary>dx = dy ⊙ σ(x)·(1 − σ(x)), with σ(x) the output of the last Forward. Do not write into <paramref name="outputGradient"/>.</summary>
    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        throw new NotImplementedException("SigmoidLayer.Backward is yours to write.");
    }
}
