using NeuralNets;
using NeuralNets.Layers;

namespace Playground.Engine;

/// <summary>
/// The forward pass of the page's networks (Dense layers and one activation) over a grid of points, written as
/// plain float loops over the library's own weights. Why not <c>Forward</c>: without the wasm-tools workload the
/// page runs in .NET's WebAssembly interpreter, where the library's kernels, generic over the element type, cost
/// about 60–80 ns per multiply-add; the grids of every frame (2,000 points at the time) took 15–40 ms of a 50 ms frame, here 3–5 ms.
/// Training still runs through the library; this only draws what it learnt, and a test checks it agrees with Forward.
/// </summary>
public sealed class GridEvaluator
{
    private readonly IReadOnlyList<Dense<float>> _dense;
    private readonly ActivationKind _activation;
    private readonly float[][] _scratch;

    /// <summary>Evaluates <paramref name="network"/> (built by <see cref="NetworkFactory"/> from <paramref name="config"/>) on up to <paramref name="points"/> points at a time.</summary>
    public GridEvaluator(Sequential<float> network, PlaygroundConfig config, int points)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(config);
        _dense = NetworkFactory.DenseLayers(network);
        _activation = config.Activation;
        _scratch = [new float[points * ConfigUrl.MaxNeurons], new float[points * ConfigUrl.MaxNeurons]];
    }

    /// <summary>
    /// Runs <paramref name="count"/> rows of <paramref name="inputs"/> (point-major, the features of one point together)
    /// through the network. Writes each hidden layer's activations (point-major) to <paramref name="hidden"/>, when given,
    /// and the output to <paramref name="output"/>.
    /// </summary>
    public void Run(ReadOnlySpan<float> inputs, int count, float[][]? hidden, Span<float> output)
    {
        ReadOnlySpan<float> x = inputs;
        for (int layer = 0; layer < _dense.Count; layer++)
        {
            var dense = _dense[layer];
            bool last = layer == _dense.Count - 1;
            // Without hidden arrays to fill, layers alternate between two scratch arrays, so x and y never overlap.
            Span<float> y = last ? output : hidden?[layer] ?? _scratch[layer % 2];
            Affine(dense, x, y, count);
            if (!last) Activate(y[..(count * dense.Outputs)]);
            x = y;
        }
    }

    // y = x·Wᵀ + b with W [out, in] (PyTorch's layout, as the library stores it).
    private static void Affine(Dense<float> dense, ReadOnlySpan<float> x, Span<float> y, int count)
    {
        ReadOnlySpan<float> w = dense.Weight.ValueSpan, b = dense.Bias!.ValueSpan;
        int inputs = dense.Inputs, outputs = dense.Outputs;
        for (int p = 0; p < count; p++)
        {
            var row = x.Slice(p * inputs, inputs);
            for (int o = 0; o < outputs; o++)
            {
                float sum = b[o];
                var weights = w.Slice(o * inputs, inputs);
                for (int i = 0; i < inputs; i++) sum += row[i] * weights[i];
                y[p * outputs + o] = sum;
            }
        }
    }

    private void Activate(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            values[i] = _activation switch
            {
                ActivationKind.Tanh => MathF.Tanh(v),
                ActivationKind.Sigmoid => 1f / (1f + MathF.Exp(-v)),
                ActivationKind.ReLU => MathF.Max(v, 0f),
                _ => v >= 0 ? v : 0.01f * v,   // the slope NetworkFactory gives LeakyReLU
            };
        }
    }
}
