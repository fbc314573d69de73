using System.Globalization;
using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Initialization;

/// <summary>Fills weights by a <see cref="WeightInit"/> scheme from a caller-given random source.</summary>
public static class WeightInitializer
{
    /// <summary>Fills <paramref name="weights"/> by <paramref name="scheme"/>.</summary>
    /// <param name="weights">The weights to fill.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="fanIn">Inputs feeding each output unit (for a convolution: Cin·kH·kW).</param>
    /// <param name="fanOut">Outputs each input feeds (for a convolution: Cout·kH·kW).</param>
    /// <param name="random">The random source; seed it for reproducible weights.</param>
    public static void Fill<T>(Span<T> weights, WeightInit scheme, int fanIn, int fanOut, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentRange.ThrowIfNegativeOrZero(fanIn);
        ArgumentRange.ThrowIfNegativeOrZero(fanOut);
        ArgumentNullException.ThrowIfNull(random);
        switch (scheme)
        {
            case WeightInit.GlorotUniform: FillUniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), random); break;
            case WeightInit.GlorotNormal: FillNormal(weights, Math.Sqrt(2.0 / (fanIn + fanOut)), random); break;
            case WeightInit.HeUniform: FillUniform(weights, Math.Sqrt(6.0 / fanIn), random); break;
            case WeightInit.HeNormal: FillNormal(weights, Math.Sqrt(2.0 / fanIn), random); break;
            case WeightInit.Zeros: weights.Clear(); break;
            default: throw new ArgumentOutOfRangeException(nameof(scheme), string.Create(CultureInfo.InvariantCulture, $"{(int)scheme} is not a weight initialisation scheme."));
        }
    }

    private static void FillUniform<T>(Span<T> weights, double limit, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < weights.Length; i++)
            weights[i] = T.CreateChecked((random.NextDouble() * 2.0 - 1.0) * limit);
    }

    private static void FillNormal<T>(Span<T> weights, double standardDeviation, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < weights.Length; i++)
            weights[i] = T.CreateChecked(standardDeviation * StandardNormal.Draw(random));
    }
}
