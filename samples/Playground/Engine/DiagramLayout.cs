using NeuralNets;
using NeuralNets.Layers;


namespace Playground.Engine;

/// <summary>Where the network diagram puts each node (a thumbnail) and each weight line, in pixels.</summary>
public sealed class DiagramLayout
{
    /// <summary>Side of a node's thumbnail.</summary>
    public const int Node = 40;

    /// <summary>Horizontal distance between the left edges of two columns.</summary>
    public const int ColumnStep = 104;

    /// <summary>Vertical distance between the tops of two nodes of a column.</summary>
    public const int RowStep = 52;

    /// <summary>Lays out the feature column, the hidden layers and the output node for <paramref name="config"/>.</summary>
    public DiagramLayout(PlaygroundConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int[] columns = [FeatureNames.Chosen(config.Features).Count, .. config.HiddenLayers, 1];
        Columns = columns;
        Height = Math.Max(columns.Max(), 4) * RowStep;
        Width = (columns.Length - 1) * ColumnStep + Node;
    }

    /// <summary>Nodes per column: the features, each hidden layer, the output.</summary>
    public IReadOnlyList<int> Columns { get; }

    /// <summary>The diagram's width.</summary>
    public int Width { get; }

    /// <summary>The diagram's height.</summary>
    public int Height { get; }

    /// <summary>Left edge of column <paramref name="column"/>.</summary>
    public int Left(int column) => column * ColumnStep;

    /// <summary>Top edge of node <paramref name="row"/> of column <paramref name="column"/>; each column is centred vertically.</summary>
    public int Top(int column, int row) => (Height - Columns[column] * RowStep) / 2 + row * RowStep + (RowStep - Node) / 2;

    /// <summary>
    /// One line per weight of every Dense layer, from the right edge of its input node to the left edge of its output node,
    /// its width growing with |w| and its colour the sign's.
    /// </summary>
    public IEnumerable<WeightLine> Lines(IReadOnlyList<Dense<float>> dense)
    {
        ArgumentNullException.ThrowIfNull(dense);
        for (int c = 0; c < dense.Count; c++)
        {
            var w = dense[c].Weight.ValueSpan.ToArray();   // [out, in]
            int inputs = dense[c].Inputs;
            for (int o = 0; o < dense[c].Outputs; o++)
                for (int i = 0; i < inputs; i++)
                {
                    float value = w[o * inputs + i];
                    yield return new WeightLine(
                        Left(c) + Node, Top(c, i) + Node / 2f, Left(c + 1), Top(c + 1, o) + Node / 2f,
                        Math.Clamp(0.4f + MathF.Abs(value) * 0.6f, 0.4f, 4f), ColorScale.Css(value), value);
                }
        }
    }
}

/// <summary>A weight drawn as a line from (X1, Y1) to (X2, Y2).</summary>
public readonly record struct WeightLine(float X1, float Y1, float X2, float Y2, float Width, string Color, float Value);
