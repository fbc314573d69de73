namespace Playground.Engine;

/// <summary>
/// The network evaluated on grids over the plane: the output (decision boundary or surface) on a fine grid for
/// the heat map, every hidden neuron's output on a coarse one for the thumbnails. Row 0 of a grid is the top of
/// the picture (x₂ = +6), column 0 its left edge (x₁ = −6).
/// </summary>
public sealed class PlaneView
{
    private readonly TrainingSession _session;
    private readonly GridEvaluator _evaluator;
    private readonly float[] _fine, _coarse;
    private readonly float[][] _hidden;
    private readonly float[] _output, _thumbnailOutput;

    /// <summary>Lays the grids over the plane and maps them to <paramref name="session"/>'s features.</summary>
    /// <param name="session">The run to show.</param>
    /// <param name="outputResolution">Cells along each side of the output's grid.</param>
    /// <param name="thumbnailResolution">Cells along each side of the thumbnails' grid.</param>
    public PlaneView(TrainingSession session, int outputResolution = 50, int thumbnailResolution = 20)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        (OutputResolution, ThumbnailResolution) = (outputResolution, thumbnailResolution);
        var chosen = FeatureNames.Chosen(session.Config.Features);
        _fine = Grid(chosen, outputResolution, out _, out _);
        _coarse = Grid(chosen, thumbnailResolution, out var x1, out var x2);
        FeatureMaps = chosen.Select(f => x1.Select((v, i) => FeatureNames.Value(f, v, x2[i])).ToArray()).ToArray();
        _hidden = session.Config.HiddenLayers.Select(n => new float[x1.Length * n]).ToArray();
        _thumbnailOutput = new float[x1.Length];
        _output = new float[outputResolution * outputResolution];
        _evaluator = new GridEvaluator(session.Network, session.Config, Math.Max(_output.Length, x1.Length));
    }

    /// <summary>Cells along each side of <see cref="Output"/>.</summary>
    public int OutputResolution { get; }

    /// <summary>Cells along each side of <see cref="Hidden"/> and <see cref="FeatureMaps"/>.</summary>
    public int ThumbnailResolution { get; }

    /// <summary>Each chosen input feature over the coarse grid (fixed: features do not train).</summary>
    public IReadOnlyList<float[]> FeatureMaps { get; }

    /// <summary>The output over the fine grid after the last <see cref="Update"/>: 2σ(z) − 1 ∈ (−1, 1) for two classes, the value for regression.</summary>
    public ReadOnlySpan<float> Output => _output;

    /// <summary>Hidden layer <paramref name="layer"/>'s outputs over the coarse grid, cell-major: cell × neurons + neuron.</summary>
    public ReadOnlySpan<float> Hidden(int layer) => _hidden[layer];

    /// <summary>Runs both grids through the network's current weights (nothing of the training state is touched).</summary>
    public void Update()
    {
        int features = FeatureMaps.Count;
        _evaluator.Run(_coarse, _coarse.Length / features, _hidden, _thumbnailOutput);
        _evaluator.Run(_fine, _output.Length, null, _output);
        if (!_session.Config.IsRegression)
            for (int i = 0; i < _output.Length; i++) _output[i] = MathF.Tanh(_output[i] / 2);   // = 2σ(z) − 1
    }

    /// <summary>The plane coordinate of the centre of cell <paramref name="index"/> of a grid with <paramref name="resolution"/> cells a side.</summary>
    public static float Coordinate(int index, int resolution) => ((index + 0.5f) / resolution * 2 - 1) * PlaneData.Extent;

    private static float[] Grid(IReadOnlyList<Features> chosen, int resolution, out float[] x1, out float[] x2)
    {
        int cells = resolution * resolution;
        (x1, x2) = (new float[cells], new float[cells]);
        for (int row = 0; row < resolution; row++)
            for (int col = 0; col < resolution; col++)
                (x1[row * resolution + col], x2[row * resolution + col]) = (Coordinate(col, resolution), -Coordinate(row, resolution));
        var rows = new float[cells * chosen.Count];
        FeatureNames.Map(chosen, x1, x2, rows);
        return rows;
    }
}
