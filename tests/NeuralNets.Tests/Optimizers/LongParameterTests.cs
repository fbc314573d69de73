using NeuralNets.Kernels;
using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>
/// A long parameter's update is split across threads in ranges; every element must still get
/// exactly the arithmetic it gets when the parameter is too short to split.
/// </summary>
public class LongParameterTests
{
    // Longer than any split threshold the calibration can choose, and not a multiple of the range alignment.
    private const int Length = 3 * SplitCalibration.Ceiling + 37;
    private const int PieceLength = 1000;

    public static TheoryData<string> WithWeightDecay => new(["Sgd", "Momentum", "Adagrad", "Adadelta", "Adam", "AdamW", "RmsProp"]);

    [Theory]
    [MemberData(nameof(OptimizerCatalog.AllElementwise), MemberType = typeof(OptimizerCatalog))]
    public void Step_LongParameter_EqualsTheSameValuesInShortPieces(string name) =>
        CompareLongWithPieces(parameters => OptimizerCatalog.Create(name, parameters));

    [Theory]
    [MemberData(nameof(WithWeightDecay))]
    public void Step_LongParameterWithWeightDecay_EqualsTheSameValuesInShortPieces(string name) =>
        CompareLongWithPieces(parameters => name switch
        {
            "Sgd" => new Sgd<float>(parameters, 0.01, weightDecay: 0.1),
            "Momentum" => new Momentum<float>(parameters, 0.01, weightDecay: 0.1),
            "Adagrad" => new Adagrad<float>(parameters, 0.1, weightDecay: 0.1),
            "Adadelta" => new Adadelta<float>(parameters, weightDecay: 0.1),
            "Adam" => new Adam<float>(parameters, 0.01, weightDecay: 0.1),
            "AdamW" => new AdamW<float>(parameters, 0.01, weightDecay: 0.1),
            _ => new RmsProp<float>(parameters, 0.01, weightDecay: 0.1, momentum: 0.5, centered: true),
        });

    private static void CompareLongWithPieces(Func<IEnumerable<Parameter<float>>, IOptimizer<float>> create)
    {
        var start = new float[Length];
        var random = new Random(7);
        for (int i = 0; i < Length; i++) start[i] = (float)(random.NextDouble() * 2 - 1);

        var whole = new Parameter<float>("whole", Length);
        whole.SetValue(start);
        var pieces = new List<Parameter<float>>();
        for (int offset = 0; offset < Length; offset += PieceLength)
        {
            var piece = new Parameter<float>($"piece{offset}", Math.Min(PieceLength, Length - offset));
            piece.SetValue(start.AsSpan(offset, piece.Length));
            pieces.Add(piece);
        }
        var wholeOptimizer = create([whole]);
        var piecesOptimizer = create(pieces);

        for (int step = 0; step < 4; step++)
        {
            wholeOptimizer.Step(() => SetGradient(whole.ValueSpan, whole.GradientSpan, 0));
            piecesOptimizer.Step(() =>
            {
                for (int p = 0; p < pieces.Count; p++) SetGradient(pieces[p].ValueSpan, pieces[p].GradientSpan, p * PieceLength);
                return 0f;
            });
        }

        var joined = pieces.SelectMany(p => p.ValueSpan.ToArray()).ToArray();
        whole.ValueSpan.ToArray().Should().Equal(joined, "each element's update must not depend on how the parameter is split");
        joined.Should().NotEqual(start);
    }

    // g = ∇ of Σ a_i w_i² / 2 + b_i w_i with coefficients that depend on the element's global index.
    private static float SetGradient(ReadOnlySpan<float> w, Span<float> g, int offset)
    {
        for (int i = 0; i < w.Length; i++)
        {
            int global = offset + i;
            g[i] = (1 + global % 7) * w[i] + 0.01f * (global % 5 - 2);
        }
        return 0f;
    }
}
