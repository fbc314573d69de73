using System.Numerics.Tensors;
using NeuralNets;

namespace Playground.Engine;

/// <summary>
/// The network evaluated on a grid over the plane: the output (decision boundary or surface) and every
/// hidden neuron's output, for the heat map and the thumbnails. Row 0 of the grid is the top of the
/// picture (x₂ = +6), column 0 its left edge (x₁ = −6).
/// </summary>
public sealed class PlaneView
{
    private readonly TrainingSession _session;
    private readonly Tensor<float> _grid;
    private readonly float[][] _hidden;
    private readonly float[] _output;

    /// <summary>Lays a <paramref name="resolution"/>² grid over the plane and maps it to <paramref name="session"/>'s features.</summary>
    public PlaneView(TrainingSession session, int resolution = 40)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        Resolution = resolution;
        int cells = resolution * resolution;
        var (x1, x2) = (new float[cells], new float[cells]);
        for (int row = 0; row < resolution; row++)
            for (int col = 0; col < resolution; col++)
                (x1[row * resolution + col], x2[row * resolution + col]) = (Coordinate(col), -Coordinate(row));
        var chosen = FeatureNames.Chosen(session.Config.Features);
        var rows = new float[cells * chosen.Count];
        FeatureNames.Map(chosen, x1, x2, rows);
        _grid = Tensor.Create(rows, [cells, chosen.Count]);
        FeatureMaps = chosen.Select(f => Enumerable.Range(0, cells).Select(i => FeatureNames.Value(f, x1[i], x2[i])).ToArray()).ToArray();
        _hidden = session.Config.HiddenLayers.Select(n => new float[cells * n]).ToArray();
        _output = new float[cells];
    }

    /// <summary>Cells along each side.</summary>
    public int Resolution { get; }

    /// <summary>Each chosen input feature over the grid (fixed: features do not train).</summary>
    public IReadOnlyList<float[]> FeatureMaps { get; }

    /// <summary>The output over the grid after the last <see cref="Update"/>: 2σ(z) − 1 ∈ (−1, 1) for two classes, the value for regression.</summary>
    public ReadOnlySpan<float> Output => _output;

    /// <summary>Hidden layer <paramref name="layer"/>'s outputs over the grid, cell-major: cell × neurons + neuron.</summary>
    public ReadOnlySpan<float> Hidden(int layer) => _hidden[layer];

    /// <summary>Runs the grid through the network (inference, no training state touched) and keeps every hidden layer's output.</summary>
    public void Update()
    {
        var x = _grid;
        int hidden = 0;
        var layers = _session.Network.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x, training: false);
            // An activation that a Dense layer follows closes a hidden layer.
            if (layers[i] is not Dense<float> && i + 1 < layers.Count) x.FlattenTo(_hidden[hidden++]);
        }
        x.FlattenTo(_output);
        if (!_session.Config.IsRegression)
            for (int i = 0; i < _output.Length; i++) _output[i] = MathF.Tanh(_output[i] / 2);   // = 2σ(z) − 1
    }

    /// <summary>The plane coordinate of the centre of grid cell <paramref name="index"/>.</summary>
    public float Coordinate(int index) => ((index + 0.5f) / Resolution * 2 - 1) * PlaneData.Extent;
}
