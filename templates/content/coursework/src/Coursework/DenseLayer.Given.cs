using NeuralNets;
using NeuralNets.Layers;

namespace Coursework;

/// <summary>A fully connected layer, y = x·Wᵀ + b, W of shape [outputs, inputs] (PyTorch's layout). Given: construction and shapes; your part is Forward and Backward, in DenseLayer.cs.</summary>
public sealed partial class DenseLayer : ILayer<double>
{
    /// <summary>Creates the layer with weights drawn uniformly from ±1/√inputs and zero biases.</summary>
    public DenseLayer(int inputs, int outputs, int seed)
    {
        (Inputs, Outputs) = (inputs, outputs);
        Weight = new Parameter<double>("weight", outputs, inputs);
        Bias = new Parameter<double>("bias", outputs);
        var random = new Random(seed);
        double bound = 1 / Math.Sqrt(inputs);
        for (int i = 0; i < Weight.Length; i++) Weight.ValueSpan[i] = (random.NextDouble() * 2 - 1) * bound;
    }

    /// <summary>Features in.</summary>
    public int Inputs { get; }

    /// <summary>Features out.</summary>
    public int Outputs { get; }

    /// <summary>W, shape [outputs, inputs].</summary>
    public Parameter<double> Weight { get; }

    /// <summary>b, shape [outputs].</summary>
    public Parameter<double> Bias { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<double>> Parameters => [Weight, Bias];

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.Count == 1 && inputShape[0] == Inputs
        ? [Outputs]
        : throw new ArgumentException($"{this} takes samples of shape [{Inputs}], not [{string.Join(", ", inputShape)}].", nameof(inputShape));

    /// <inheritdoc/>
    public LayerDescription Describe() => new("DenseLayer", new Dictionary<string, double> { ["inputs"] = Inputs, ["outputs"] = Outputs });

    /// <inheritdoc/>
    public override string ToString() => $"DenseLayer({Inputs} → {Outputs})";
}
