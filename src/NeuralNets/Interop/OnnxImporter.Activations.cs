using NeuralNets.Layers;
using static NeuralNets.Interop.OnnxExpression;

namespace NeuralNets.Interop;

/// <summary>
/// Activation functions that exporters write as several elementwise nodes, since the operator set they target has no
/// single operator for them: PyTorch's GELU (erf, or tanh, form), SiLU (x · σ(x)) and Softplus with β ≠ 1
/// (softplus(βx) / β), and our own export's Softplus with a threshold and ELU with a double α (Where forms), ELU with
/// α = 1 also as torch exports <c>torch.where(x &gt; 0, x, torch.exp(x) - 1)</c>.
/// </summary>
internal sealed partial class OnnxImporter<T>
{
    /// <summary>The most links one function may span: PyTorch's GELU is a branch and a Mul after it, its Softplus(β) three nodes.</summary>
    private const int MaxActivationLinks = 4;

    /// <summary>
    /// How far a constant of the file may stand from the function's own and still be it, relatively: 8 units in the last
    /// place of T. The file's constants are of T; rounding one such as √2 to T, then gathering several into one, moves it
    /// by a few units (in PyTorch's float exports up to 6e-8), while the constants of different functions differ by far
    /// more. In double that is 2e-15: a function 1e-7 away from GELU is not GELU at the precision a double network keeps.
    /// </summary>
    private static readonly double ConstantTolerance = 8 * double.CreateTruncating(T.BitIncrement(T.One) - T.One);

    private static readonly OnnxExpression GeluForm =
        Product(Scalar(0.5), X, Sum(Scalar(1), Call("Erf", Product(Scalar(1 / Math.Sqrt(2)), X))));

    private static readonly OnnxExpression GeluTanhForm =
        Product(Scalar(0.5), X, Sum(Scalar(1), Call("Tanh", Product(Scalar(Math.Sqrt(2 / Math.PI)), Sum(X, Product(Scalar(0.044715), X, X, X))))));

    private static readonly OnnxExpression SiluForm = Product(X, Call("Sigmoid", X));

    /// <summary>min(max(x + 3, 0), 6) / 6, as our export writes PyTorch's Hardsigmoid.</summary>
    private static readonly OnnxExpression HardsigmoidForm = Product(Scalar(1.0 / 6), Call("Clip", Sum(X, Scalar(3)), Scalar(0), Scalar(6)));

    /// <summary>x · min(max(x + 3, 0), 6) / 6, as our export writes PyTorch's Hardswish.</summary>
    private static readonly OnnxExpression HardswishForm = Product(Scalar(1.0 / 6), X, Call("Clip", Sum(X, Scalar(3)), Scalar(0), Scalar(6)));

    /// <summary>ONNX's HardSigmoid with PyTorch's α = 1/6 and β = 1/2: clip(x/6 + 1/2, 0, 1).</summary>
    private static readonly OnnxExpression HardSigmoidOperator = Call("Clip", Sum(Product(Scalar(1.0 / 6), X), Scalar(0.5)), Scalar(0), Scalar(1));

    /// <summary>
    /// The layer of the longest run of links from <paramref name="index"/> (the first may branch, the rest are single
    /// elementwise nodes) whose function of its input NeuralNets has a layer for; returns how many links after the first it took.
    /// </summary>
    private int Activation(List<Link> chain, int index)
    {
        var expression = X;
        Func<ILayer<T>>? found = null;
        int extra = 0;
        for (int j = index; j < chain.Count && j < index + MaxActivationLinks && (j == index || !chain[j].Branches); j++)
        {
            if (Expression(chain[j], expression) is not { } next) break;
            expression = next;
            if (Recognise(expression) is { } layer) (found, extra) = (layer, j - index);
        }
        if (found is null)
            throw chain[index].Branches ? Branch(chain[index])
                : Node(chain[index].Nodes[0], "is an operator that cannot be imported here: with the nodes after it, it computes none of the activation functions read from elementwise nodes (GELU, SiLU, Softplus, ELU, Hardtanh, Hardsigmoid, Hardswish)");
        Add(chain[index].Nodes[0], found);
        return extra;
    }

    /// <summary>The function a link computes of its input's <paramref name="input"/>; null when a node is not elementwise arithmetic on its values and scalar constants.</summary>
    private OnnxExpression? Expression(Link link, OnnxExpression input)
    {
        var values = new Dictionary<string, OnnxExpression> { [link.Input] = input };
        foreach (var node in link.Nodes)
        {
            if (node.Attributes.Length > 0)
            {
                if (node.Inputs.Length < 1 || !values.TryGetValue(node.Inputs[0], out var argument) || WithAttributes(node, argument) is not { } computed) return null;
                values[node.Outputs[0]] = computed;
                continue;
            }
            var arguments = new List<OnnxExpression>();
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                if (values.TryGetValue(node.Inputs[i], out var value)) arguments.Add(value);
                // A single value of no higher rank than the data: one of higher rank broadcasts the data to it ([N, 4]
                // times a [1, 1, 1] is [1, N, 4]), and a Softmax over axis 1 after it would take in the whole batch.
                else if (IsStatic(node.Inputs[i]) && Constant(node, i, "constant") is { DataType: var type, Dims: var dims } constant
                    && type == OnnxDataType.Of<T>() && dims.Length <= _shape.Count + 1 && dims.All(length => length == 1))
                    arguments.Add(Scalar(Decimal(Values(node, constant, "constant")[0])));
                else return null;
            }
            if (Apply(node.OpType, arguments) is not { } result) return null;
            values[node.Outputs[0]] = result;
        }
        return values[link.Nodes[^1].Outputs[0]];
    }

    /// <summary>
    /// The function of the two elementwise operators with constant attributes that the hard activations are written with:
    /// HardSigmoid(α, β), clip(αx + β, 0, 1) (PyTorch's Hardsigmoid exports α = 1/6 as a float, which is read as 1/6), and
    /// Clip with its bounds as attributes (before opset 11); null for any other node with attributes.
    /// </summary>
    private OnnxExpression? WithAttributes(NodeProto node, OnnxExpression argument)
    {
        if (node.OpType == "HardSigmoid" && node.Inputs.Length == 1 && node.Attributes.All(a => a.Name is "alpha" or "beta"))
        {
            float alpha = Float(node, "alpha", 0.2f), beta = Float(node, "beta", 0.5f);
            double slope = alpha == (float)(1.0 / 6) ? 1.0 / 6 : Decimal(alpha);
            return Apply("Clip", [Sum(Product(Scalar(slope), argument), Scalar(Decimal(beta))), Scalar(0), Scalar(1)]);
        }
        if (node.OpType == "Clip" && _opset < 11 && node.Inputs.Length == 1 && node.Attributes.All(a => a.Name is "min" or "max")
            && Attribute(node, "min") is not null && Attribute(node, "max") is not null)
            return Apply("Clip", [argument, Scalar(Decimal(Float(node, "min", 0f))), Scalar(Decimal(Float(node, "max", 0f)))]);
        return null;
    }

    /// <summary>The layer that computes <paramref name="f"/>, or null.</summary>
    private static Func<ILayer<T>>? Recognise(OnnxExpression f)
    {
        if (f.Matches(GeluForm, ConstantTolerance)) return () => new GELU<T>();
        if (f.Matches(GeluTanhForm, ConstantTolerance)) return () => new GELU<T>(tanhApproximation: true);
        if (f.Matches(SiluForm, ConstantTolerance)) return () => new SiLU<T>();
        // Clip(x, min, max): Hardtanh (ReLU6 for [0, 6]); the hard sigmoid and swish as our export writes them (PyTorch's
        // order of operations) and as PyTorch exports them (HardSigmoid(1/6, 1/2), and x times it).
        if (f is Function { Op: "Clip", Arguments: [Variable, Number lower, Number upper] } && double.IsFinite(lower.Value) && double.IsFinite(upper.Value) && lower.Value < upper.Value)
            return () => new Hardtanh<T>(lower.Value, upper.Value);
        if (f.Matches(HardsigmoidForm, ConstantTolerance) || f.Matches(HardSigmoidOperator, ConstantTolerance)) return () => new Hardsigmoid<T>();
        if (f.Matches(HardswishForm, ConstantTolerance) || f.Matches(Product(X, HardSigmoidOperator), ConstantTolerance)) return () => new Hardswish<T>();
        // softplus(βx)/β everywhere (PyTorch's export of Softplus(beta) drops its threshold): the threshold 40 is exact,
        // softplus(βx) being βx to a double's precision from there on.
        if (SoftplusBeta(f) is { } beta) return () => new Softplus<T>(beta, 40);
        // Where(βx > t, x, softplus(βx)/β): Softplus with its threshold, as our export writes it.
        if (f is Function { Op: "Where", Arguments: [Function { Op: "Greater", Arguments: [var scaled, Number threshold] }, Variable, var soft] }
            && scaled.ScaleOfX() is { } b && SoftplusBeta(soft) is { } b2 && Close(b, b2, ConstantTolerance))
            return () => new Softplus<T>(b, threshold.Value);
        // Where(x > 0, x, α(eˣ − 1)): ELU, as our export writes a double α that a float cannot hold, and with α = 1 as
        // torch 1.13 exports torch.where(x > 0, x, torch.exp(x) - 1) (no product left once its 1 is gathered).
        if (f is Function { Op: "Where", Arguments: [Function { Op: "Greater", Arguments: [Variable, Number { Value: 0 }] }, Variable, var negative] }
            && ExpMinusOneScale(negative) is { } alpha)
            return () => new ELU<T>(alpha);
        return null;
    }

    /// <summary>α when <paramref name="f"/> is α(eˣ − 1) (eˣ − 1 itself for α = 1); otherwise null.</summary>
    private static double? ExpMinusOneScale(OnnxExpression f) => f switch
    {
        Terms { IsProduct: false, Constant: -1, Items: [Function { Op: "Exp", Arguments: [Variable] }] } => 1,
        Terms { IsProduct: true, Items: [Terms { IsProduct: false, Constant: -1, Items: [Function { Op: "Exp", Arguments: [Variable] }] }] } scaled => scaled.Constant,
        _ => null,
    };

    /// <summary>β when <paramref name="f"/> is softplus(βx)/β (softplus(x) for β = 1); otherwise null.</summary>
    private static double? SoftplusBeta(OnnxExpression f)
    {
        var (scale, inner) = f is Terms { IsProduct: true, Items: [Function { Op: "Softplus" } softplus] } product ? (product.Constant, softplus) : (1, f as Function);
        return inner is { Op: "Softplus", Arguments: [var scaled] } && scaled.ScaleOfX() is { } beta && Close(scale, 1 / beta, ConstantTolerance) ? beta : null;
    }
}
