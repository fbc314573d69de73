using System.Globalization;
using System.Runtime.CompilerServices;

namespace NeuralNets.Layers;

/// <summary>
/// The error of a backward pass called before any forward pass, built in a method of its own: the layers' and losses'
/// passes are compiled fully optimised at their first call (<see cref="Kernels.HotPath"/>), and formatting the message
/// inline in each of them compiled code that only a caller's mistake runs.
/// </summary>
internal static class PassOrder
{
    /// <summary>The exception for <paramref name="component"/> (a layer or a loss, named by its <c>ToString()</c>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static InvalidOperationException BackwardBeforeForward(object component) => new(string.Create(CultureInfo.InvariantCulture, $"{component}: Backward called before Forward."));
}
