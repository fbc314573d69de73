using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// Graphs that nearly match a form the importer reads but compute something else: each is refused naming the node
/// where it departs, rather than imported as the form it resembles. Expected values are worked out by hand from the
/// operators' definitions; NeuralNets.OnnxRuntime.Tests runs the same kinds of graph through ONNX Runtime.
/// </summary>
public class OnnxNearMissImportTests
{
    [Theory]
    [InlineData(9, false)]
    [InlineData(3, false)]
    [InlineData(1, false)]
    [InlineData(6, true)]
    [InlineData(7, true)]
    public void Import_ShapeLengthCastAndBack_KeptOnlyThroughIntegersThatHoldIt(int type, bool kept)
    {
        // Reshape [N, 12] to [N, int64(cast(12)), -1, 1]: through a bool that is [N, 1, 12, 1], and GlobalAveragePool
        // averages all 12 values, where lengths taken as unchanged give [N, 12, 1, 1] and twelve averages of one value.
        // Through int8 or float 12 survives, but other lengths would not; through int32 or int64 every one does.
        var graph = Graph([12], [1, 1, 1]);
        graph.Initializers.Add(new TensorProto { Name = "zero", DataType = OnnxDataType.Int64, Dims = [], Int64Data = [0] });
        graph.Initializers.Add(new TensorProto { Name = "one", DataType = OnnxDataType.Int64, Dims = [], Int64Data = [1] });
        graph.Initializers.Add(Int64s("axes", 0));
        graph.Initializers.Add(Int64s("rest", -1, 1));
        graph.Nodes.Add(Node("Shape", ["x"], "shape"));
        graph.Nodes.Add(Node("Gather", ["shape", "zero"], "n"));
        graph.Nodes.Add(Node("Unsqueeze", ["n", "axes"], "batch"));
        graph.Nodes.Add(Node("Gather", ["shape", "one"], "f"));
        graph.Nodes.Add(Node("Cast", ["f"], "truth", Int("to", type)));
        graph.Nodes.Add(Node("Cast", ["truth"], "unit", Int("to", OnnxDataType.Int64)));
        graph.Nodes.Add(Node("Unsqueeze", ["unit", "axes"], "channels"));
        graph.Nodes.Add(Node("Concat", ["batch", "channels", "rest"], "target", Int("axis", 0)));
        graph.Nodes.Add(Node("Reshape", ["x", "target"], "r"));
        graph.Nodes.Add(Node("GlobalAveragePool", ["r"], "y"));

        var act = () => Import<float>(Model(graph));

        if (!kept)
        {
            act.Should().Throw<InvalidDataException>().WithMessage("*'cast_truth' (Cast) casts a shape to * which can change its lengths*");
            return;
        }
        var network = act();
        network.Predict([.. Enumerable.Range(0, 12).Select(i => (float)i)]).Should().Equal(Enumerable.Range(0, 12).Select(i => (float)i));
    }

    [Fact]
    public void Import_ActivationScaledByAOneOfHigherRankThanTheData_FailsNamingTheProduct()
    {
        // x·σ(x) times a 1 of shape [1, 1, 1]: the product is [1, N, 4], and Softmax (opset 11, axis 1) normalises it over
        // the whole batch, not over each sample.
        var graph = Graph([4], [4]);
        graph.Initializers.Add(Raw("c", [1, 1, 1], [1f]));
        graph.Nodes.Add(Node("Sigmoid", ["x"], "s"));
        graph.Nodes.Add(Node("Mul", ["x", "s"], "m"));
        graph.Nodes.Add(Node("Mul", ["m", "c"], "b"));
        graph.Nodes.Add(Node("Softmax", ["b"], "y", Int("axis", 1)));

        var act = () => Import<float>(Model(graph, opset: 11));

        act.Should().Throw<InvalidDataException>().WithMessage("*'mul_b' (Mul)*");
    }

    /// <summary>
    /// A bias is added to [batch, outputs] by broadcasting: [3], [1, 3] or a single value add the same to every sample,
    /// while [3, 1] adds one value to each sample of a batch of 3 (and [1, 1, 3] makes the result [1, N, 3]).
    /// </summary>
    [Theory]
    [InlineData("Gemm", new long[] { 3 }, true)]
    [InlineData("Gemm", new long[] { 1, 3 }, true)]
    [InlineData("MatMul", new long[] { 1, 3 }, true)]
    [InlineData("MatMul", new long[] { 1 }, true)]
    [InlineData("Gemm", new long[] { 3, 1 }, false)]
    [InlineData("MatMul", new long[] { 3, 1 }, false)]
    [InlineData("MatMul", new long[] { 1, 1, 3 }, false)]
    public void Import_DenseBias_AddedAlikeToEverySampleOrRefused(string op, long[] dims, bool alike)
    {
        var graph = Graph([2], [3]);
        graph.Initializers.Add(Raw("w", [2, 3], [1, 2, 3, 4, 5, 6]));
        float[] bias = dims.Aggregate(1L, (a, b) => a * b) == 1 ? [10] : [10, 20, 30];
        graph.Initializers.Add(Raw("b", dims, bias));
        if (op == "Gemm") graph.Nodes.Add(Node("Gemm", ["x", "w", "b"], "y"));
        else
        {
            graph.Nodes.Add(Node("MatMul", ["x", "w"], "m"));
            graph.Nodes.Add(Node("Add", ["m", "b"], "y"));
        }

        var act = () => Import<float>(Model(graph));

        if (!alike)
        {
            act.Should().Throw<InvalidDataException>().WithMessage($"*({op}) has a bias 'b' [{string.Join(", ", dims)}]*");
            return;
        }
        // [1, 1]·w = [5, 7, 9], plus the bias of each output.
        act().Predict([1f, 1f]).Should().Equal(5 + bias[0], 7 + bias[bias.Length / 2], 9 + bias[^1]);
    }

    [Theory]
    [InlineData(new long[] { 1, 1 }, true)]
    [InlineData(new long[] { 1, 1, 1 }, false)]
    public void Import_PReluSlopeOfOneValue_ReadOnlyUpToTheDataRank(long[] dims, bool read)
    {
        // PRelu of [N, 4] by a slope of shape [1, 1, 1] is [1, N, 4]: Softmax (opset 11, axis 1) then normalises the batch.
        var graph = Graph([4], [4]);
        graph.Initializers.Add(Raw("slope", dims, [0.25f]));
        graph.Nodes.Add(Node("PRelu", ["x", "slope"], "a"));
        graph.Nodes.Add(Node("Softmax", ["a"], "y", Int("axis", 1)));

        var act = () => Import<float>(Model(graph, opset: 11));

        if (read) act().Layers[0].Should().BeOfType<NeuralNets.Layers.PReLU<float>>();
        else act.Should().Throw<InvalidDataException>().WithMessage("*'prelu_a' (PRelu) has a slope 'slope' [1, 1, 1] of higher rank than its input*");
    }

    /// <summary>
    /// GELU's ½ written 0.5000001 is 2 units in the last place of a float, as close as a float network computes GELU
    /// anyway, and is read as GELU; in a double network it is a function 2e-7 away from GELU, which the library's
    /// 1e-10 would notice, and is refused. The same holds for Softplus(β) divided by β(1 + 2e-7).
    /// </summary>
    [Theory]
    [InlineData(false, 0.5, true)]
    [InlineData(false, 0.5000001, true)]
    [InlineData(true, 0.5, true)]
    [InlineData(true, 0.5000001, false)]
    public void Import_GeluConstantOffByFloatRounding_ReadAsGeluOnlyInFloat(bool inDouble, double half, bool read)
    {
        var graph = Graph([3], [3], inDouble ? OnnxDataType.Double : OnnxDataType.Float);
        graph.Initializers.Add(Scalar("root2", Math.Sqrt(2), inDouble));
        graph.Initializers.Add(Scalar("one", 1, inDouble));
        graph.Initializers.Add(Scalar("half", half, inDouble));
        graph.Nodes.Add(Node("Div", ["x", "root2"], "s"));
        graph.Nodes.Add(Node("Erf", ["s"], "e"));
        graph.Nodes.Add(Node("Add", ["e", "one"], "e1"));
        graph.Nodes.Add(Node("Mul", ["x", "e1"], "m"));
        graph.Nodes.Add(Node("Mul", ["m", "half"], "y"));

        var act = () => FirstLayer(Model(graph), inDouble);

        if (read) act().Should().Be("GELU");
        else act.Should().Throw<InvalidDataException>().WithMessage("*'mul_m' (Mul)*GELU, SiLU, Softplus, ELU*");
    }

    [Theory]
    [InlineData(false, 2 * (1 + 2e-7), true)]
    [InlineData(true, 2.0, true)]
    [InlineData(true, 2 * (1 + 2e-7), false)]
    public void Import_SoftplusDividedByNearlyItsBeta_ReadAsSoftplusOnlyInFloat(bool inDouble, double divisor, bool read)
    {
        var graph = Graph([3], [3], inDouble ? OnnxDataType.Double : OnnxDataType.Float);
        graph.Initializers.Add(Scalar("beta", 2, inDouble));
        graph.Initializers.Add(Scalar("divisor", divisor, inDouble));
        graph.Nodes.Add(Node("Mul", ["x", "beta"], "bx"));
        graph.Nodes.Add(Node("Softplus", ["bx"], "s"));
        graph.Nodes.Add(Node("Div", ["s", "divisor"], "y"));

        var act = () => FirstLayer(Model(graph), inDouble);

        if (read) act().Should().Be("Softplus");
        else act.Should().Throw<InvalidDataException>().WithMessage("*'mul_bx' (Mul)*");
    }

    /// <summary>From opset 12 Dropout's third input says whether it drops values (ONNX Runtime does, at random, when it is true).</summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void Import_DropoutByItsTrainingModeInput_PassesValuesOnOnlyWhenFalse(byte training, bool read)
    {
        var graph = Graph([4], [4]);
        graph.Initializers.Add(Raw("ratio", [], [0.5f]));
        graph.Initializers.Add(new TensorProto { Name = "training", DataType = 9, Dims = [], RawData = new[] { training }, HasRawData = true });
        graph.Nodes.Add(Node("Dropout", ["x", "ratio", "training"], "d"));
        graph.Nodes.Add(Node("Relu", ["d"], "y"));

        var act = () => Import<float>(Model(graph));

        if (read) act().Predict([-1f, 2f, -3f, 4f]).Should().Equal(0f, 2f, 0f, 4f);
        else act.Should().Throw<InvalidDataException>().WithMessage("*'dropout_d' (Dropout) drops values in training mode*");
    }

    /// <summary>
    /// Unsqueeze and Squeeze take their axes as an attribute before opset 13 and as an input from then on; a file with the
    /// other form (which ONNX Runtime refuses), or both, says two things, and is refused rather than read one way.
    /// </summary>
    [Theory]
    [InlineData(11, true, false, true)]
    [InlineData(13, false, true, true)]
    [InlineData(13, true, false, false)]
    [InlineData(11, false, true, false)]
    [InlineData(11, true, true, false)]
    public void Import_FoldedUnsqueeze_ReadsItsAxesInItsOperatorSetsFormOnly(long opset, bool attribute, bool input, bool read)
    {
        // [4] unsqueezed at axis 1 is the [4, 1] weight of one output; at axis 0 (the input) it would be [1, 4].
        var graph = Graph([4], [1]);
        graph.Initializers.Add(Raw("w", [4], [1, 2, 3, 4]));
        // Given as an input beside the attribute, the axes say 0.
        graph.Initializers.Add(Int64s("axes", attribute ? 0 : 1));
        graph.Nodes.Add(Node("Unsqueeze", input ? ["w", "axes"] : ["w"], "w1", attribute ? [Ints("axes", 1)] : []));
        graph.Nodes.Add(Node("MatMul", ["x", "w1"], "y"));

        var act = () => Import<float>(Model(graph, opset));

        if (read) act().Predict([1f, 1f, 1f, 1f]).Should().Equal(10f);
        else act.Should().Throw<InvalidDataException>().WithMessage("*'unsqueeze_w1' (Unsqueeze) *axes*opset*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Import_TorchWhereOfExpMinusOne_IsAnELUOfAlphaOne(bool inDouble)
    {
        // torch 1.13 exports torch.where(x > 0, x, torch.exp(x) - 1) as Greater(x, 0), Exp, Sub(·, 1), Where: ELU with
        // α = 1, whose product by α the normal form no longer holds.
        var graph = Graph([3], [3], inDouble ? OnnxDataType.Double : OnnxDataType.Float);
        graph.Initializers.Add(Scalar("zero", 0, inDouble));
        graph.Initializers.Add(Scalar("one", 1, inDouble));
        graph.Nodes.Add(Node("Greater", ["x", "zero"], "positive"));
        graph.Nodes.Add(Node("Exp", ["x"], "e"));
        graph.Nodes.Add(Node("Sub", ["e", "one"], "negative"));
        graph.Nodes.Add(Node("Where", ["positive", "x", "negative"], "y"));

        var layer = inDouble ? Import<double>(Model(graph)).Layers.Single().Describe() : Import<float>(Model(graph)).Layers.Single().Describe();

        layer.Should().Be(new ELU<double>(1).Describe());
        if (inDouble) Import<double>(Model(graph)).Predict([-2.0, 0.0, 1.5]).Should().Equal(Math.Exp(-2) - 1, 0.0, 1.5);
    }

    private static string FirstLayer(ModelProto model, bool inDouble) =>
        (inDouble ? Import<double>(model).Layers[0].Describe() : Import<float>(model).Layers[0].Describe()).Kind;

    private static TensorProto Scalar(string name, double value, bool inDouble) => inDouble
        ? new TensorProto { Name = name, DataType = OnnxDataType.Double, Dims = [], DoubleData = [value] }
        : Raw(name, [], [(float)value]);
}
