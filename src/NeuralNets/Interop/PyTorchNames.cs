using System.Globalization;
using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>Renamings from a PyTorch model's <c>state_dict</c> names to a <see cref="Sequential{T}"/>'s parameter names.</summary>
public static class PyTorchNames
{
    /// <summary>
    /// Maps <c>"{module}.weight"</c> and <c>"{module}.bias"</c> of each named module, in order, to the parameters of the
    /// network's layers that have parameters, in order. For <c>self.fc1 = nn.Linear(784, 128); self.fc2 = nn.Linear(128, 10)</c>
    /// used as <c>fc2(relu(fc1(x)))</c>, <c>ForModules(network, "fc1", "fc2")</c> maps <c>fc1.weight</c> to <c>0.weight</c>
    /// and <c>fc2.bias</c> to <c>2.bias</c> for a network built as Dense(128), ReLU, Dense(10).
    /// </summary>
    /// <exception cref="ArgumentException">The number of modules differs from the number of layers with parameters.</exception>
    public static IReadOnlyDictionary<string, string> ForModules<T>(Sequential<T> network, params string[] modules)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(modules);
        var layers = Enumerable.Range(0, network.Layers.Count).Where(i => network.Layers[i].Parameters.Count > 0).ToArray();
        if (layers.Length != modules.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The network has {layers.Length} layers with parameters, but {modules.Length} module names were given."), nameof(modules));
        var names = new Dictionary<string, string>();
        for (int m = 0; m < modules.Length; m++)
            foreach (var parameter in network.Layers[layers[m]].Parameters)
                names.Add($"{modules[m]}.{parameter.Name}", string.Create(CultureInfo.InvariantCulture, $"{layers[m]}.{parameter.Name}"));
        return names;
    }
}
