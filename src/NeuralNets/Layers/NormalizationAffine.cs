using System.Numerics;

namespace NeuralNets.Layers;

/// <summary>The learnt scale γ (ones) and shift β (zeros) of a normalisation layer, named as PyTorch's state_dict names them.</summary>
internal static class NormalizationAffine
{
    /// <summary>γ and β of <paramref name="shape"/> and the list of both when <paramref name="affine"/>; nothing otherwise.</summary>
    public static (Parameter<T>? Weight, Parameter<T>? Bias, IReadOnlyList<Parameter<T>> Parameters) Create<T>(bool affine, IReadOnlyList<int> shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!affine) return (null, null, []);
        var weight = new Parameter<T>("weight", shape);
        weight.ValueSpan.Fill(T.One);
        var bias = new Parameter<T>("bias", shape);
        return (weight, bias, [weight, bias]);
    }
}
