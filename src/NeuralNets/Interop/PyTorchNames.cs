using System.Globalization;
using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>Renamings from a PyTorch model's <c>state_dict</c> names to a <see cref="Sequential{T}"/>'s parameter names.</summary>
public static class PyTorchNames
{
    /// <summary>
    /// Maps the <c>state_dict</c> names of each named module, in order, to the network's names of the layers that hold
    /// tensors (parameters, or a BatchNorm's running statistics), in order: <c>"{module}.weight"</c> and
    /// <c>"{module}.bias"</c> (none for a layer built with <c>bias: false</c>, as for PyTorch's <c>bias=False</c>), and a BatchNorm's <c>"{module}.running_mean"</c>, <c>"{module}.running_var"</c> and
    /// <c>"{module}.num_batches_tracked"</c>. For <c>self.fc1 = nn.Linear(784, 128); self.fc2 = nn.Linear(128, 10)</c>
    /// used as <c>fc2(relu(fc1(x)))</c>, <c>ForModules(network, "fc1", "fc2")</c> maps <c>fc1.weight</c> to <c>0.weight</c>
    /// and <c>fc2.bias</c> to <c>2.bias</c> for a network built as Dense(128), ReLU, Dense(10). A module name may hold
    /// dots (<c>"features.0"</c>, for an <c>nn.Sequential</c> attribute's layer), and a module that is an
    /// <c>nn.Sequential</c> maps to a nested <see cref="Sequential{T}"/> (<c>"features"</c>: <c>features.0.weight</c> to
    /// <c>0.0.weight</c>). A module that is a residual block maps to a <see cref="Residual{T}"/> as torchvision names a
    /// <c>BasicBlock</c> or <c>Bottleneck</c>: <c>"layer2.0"</c> maps <c>layer2.0.conv1.weight</c>, <c>layer2.0.bn2.running_var</c> and
    /// <c>layer2.0.downsample.0.weight</c> to the body's first convolution, its second BatchNorm and the shortcut's first layer.
    /// </summary>
    /// <exception cref="ArgumentException">The number of modules differs from the number of layers that hold tensors.</exception>
    public static IReadOnlyDictionary<string, string> ForModules<T>(Sequential<T> network, params string[] modules)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(modules);
        var layers = Enumerable.Range(0, network.Layers.Count).Where(i => TensorNames(network.Layers[i]).Any()).ToArray();
        if (layers.Length != modules.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The network has {layers.Length} layers with parameters or running statistics, but {modules.Length} module names were given."), nameof(modules));
        var names = new Dictionary<string, string>();
        for (int m = 0; m < modules.Length; m++)
        {
            var layer = network.Layers[layers[m]];
            foreach (string name in TensorNames(layer))
                names.Add($"{modules[m]}.{(layer is Residual<T> block ? BlockName(block, name) : name)}", string.Create(CultureInfo.InvariantCulture, $"{layers[m]}.{name}"));
        }
        return names;
    }

    /// <summary>
    /// torchvision's name of a residual block's tensor <paramref name="name"/> (<c>"0.3.weight"</c>: the body's layer 3): the body's
    /// layers that hold tensors are <c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>… (each BatchNorm numbered as the layer
    /// before it), the shortcut is <c>downsample</c> with its own indices (<c>"1.1.running_mean"</c>: <c>downsample.1.running_mean</c>).
    /// </summary>
    private static string BlockName<T>(Residual<T> block, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[] parts = name.Split('.', 3);
        if (parts[0] == "1") return "downsample." + parts[1] + "." + parts[2];
        int index = int.Parse(parts[1], CultureInfo.InvariantCulture), number = 0;
        for (int j = 0; j <= index; j++)
            if (block.Body.Layers[j] is not BatchNorm<T> && TensorNames(block.Body.Layers[j]).Any()) number++;
        string module = block.Body.Layers[index] is BatchNorm<T> ? "bn" : "conv";
        return string.Create(CultureInfo.InvariantCulture, $"{module}{number}.{parts[2]}");
    }

    /// <summary>The names of a layer's tensors within it: <c>"weight"</c>, <c>"running_var"</c>, <c>"0.bias"</c> in a nested network.</summary>
    private static IEnumerable<string> TensorNames<T>(ILayer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> =>
        layer.Parameters.Select(p => p.Name).Concat(BatchNormLayers.Of(layer).SelectMany(n =>
            NetworkTensor<T>.BatchNormBuffers.Select(buffer => BatchNormLayers.StatisticName(n.Place, buffer.Name))));
}
