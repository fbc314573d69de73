using System.Globalization;
using System.Numerics;

namespace NeuralNets.Optimizers;

/// <summary>The parameter list an optimizer takes once.</summary>
internal static class ParameterList
{
    /// <summary>
    /// Materialises the list, refusing an empty one (the optimizer would train nothing without a word, which PyTorch
    /// refuses too), nulls, and a parameter listed twice (it would be updated twice per step).
    /// </summary>
    public static Parameter<T>[] Collect<T>(IEnumerable<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToArray();
        if (list.Length == 0)
            throw new ArgumentException(
                "The optimizer was given no parameters, so it would train nothing. Pass the parameters to train, e.g. network.Parameters " +
                "(a network of layers without parameters, activations alone, has none).", nameof(parameters));
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Parameter {i} of the list is null."), nameof(parameters));
            if (!seen.Add(list[i].Identity)) throw new ArgumentException($"Parameter '{list[i].Name}' is listed twice; each parameter may be given once.", nameof(parameters));
        }
        return list;
    }
}
