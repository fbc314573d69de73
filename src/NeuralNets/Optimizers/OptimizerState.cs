using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>
/// What every rule needs besides its formula: the parameter list taken once, per-parameter state
/// arrays allocated once, and the L2-decayed gradient g + λw without touching the caller's gradient.
/// </summary>
internal static class OptimizerState
{
    /// <summary>Materialises the parameter list, refusing nulls and a parameter listed twice (it would be updated twice per step).</summary>
    public static Parameter<T>[] Collect<T>(IEnumerable<Parameter<T>> parameters, string paramName = "parameters")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters, paramName);
        var list = parameters.ToArray();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null) throw new ArgumentException($"Parameter {i} of the list is null.", paramName);
            if (!seen.Add(list[i].Identity)) throw new ArgumentException($"Parameter '{list[i].Name}' is listed twice; each parameter may be given once.", paramName);
        }
        return list;
    }

    /// <summary>One state array per parameter, each of the parameter's length, filled with <paramref name="initial"/>.</summary>
    public static T[][] PerParameter<T>(Parameter<T>[] parameters, T initial = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = new T[parameters.Length][];
        for (int i = 0; i < parameters.Length; i++)
        {
            state[i] = new T[parameters[i].Length];
            if (initial != T.Zero) state[i].AsSpan().Fill(initial);
        }
        return state;
    }

    /// <summary>A scratch buffer as long as the longest parameter; holds no state between parameters or steps.</summary>
    public static T[] Scratch<T>(Parameter<T>[] parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int longest = 0;
        foreach (var p in parameters) longest = Math.Max(longest, p.Length);
        return new T[longest];
    }

    /// <summary>
    /// The gradient the rule sees over the elements <c>[start, start + length)</c> of a parameter's arrays:
    /// g when λ = 0, otherwise g + λw written into the same range of <paramref name="scratch"/> (PyTorch's L2
    /// weight decay; the parameter's own gradient is left as the caller computed it). Ranges let an update be
    /// split across threads.
    /// </summary>
    public static ReadOnlySpan<T> DecayedGradient<T>(T[] value, T[] gradient, T weightDecay, T[] scratch, int start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = gradient.AsSpan(start, length);
        if (weightDecay == T.Zero) return g;
        var decayed = scratch.AsSpan(start, length);
        TensorPrimitives.MultiplyAdd(value.AsSpan(start, length), weightDecay, g, decayed);
        return decayed;
    }
}
