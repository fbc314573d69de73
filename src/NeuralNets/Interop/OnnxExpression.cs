namespace NeuralNets.Interop;

/// <summary>
/// A function of one value x that elementwise ONNX nodes compute (Add, Sub, Mul, Div by a constant, Erf, Tanh, Sigmoid,
/// Softplus, Exp, Greater, Where, Clip between constants), in a normal form where the ways exporters write one function compare equal: sums and
/// products are flattened, their constants gathered into one number, and their terms compared in any order. PyTorch's
/// GELU, (x · (erf(x / √2) + 1)) · 0.5, and our export's, (x · 0.5) · (erf(x · 0.7071…) + 1), both become
/// 0.5 · x · (1 + erf(0.7071… · x)).
/// </summary>
internal abstract class OnnxExpression
{
    /// <summary>
    /// The most operators, variables and constants one expression may hold, written out as a tree: the functions recognised
    /// hold a dozen (GELU's tanh form 11), while a file that adds a sum to itself at each node would double it each time.
    /// </summary>
    private const int MaxSize = 64;

    /// <summary>How many nodes this expression has written out as a tree: each operator (a sum or product with its constant), variable and constant.</summary>
    public abstract int Size { get; }

    /// <summary>The function's argument.</summary>
    public static OnnxExpression X { get; } = new Variable();

    /// <summary>A constant.</summary>
    public static OnnxExpression Scalar(double value) => new Number(value);

    /// <summary>
    /// An operator's result on <paramref name="arguments"/> (each of at most <see cref="MaxSize"/>); null for an operator
    /// outside this form, a division by something not constant, or a result larger than <see cref="MaxSize"/>.
    /// </summary>
    public static OnnxExpression? Apply(string op, IReadOnlyList<OnnxExpression> arguments) =>
        Applied(op, arguments) is { Size: <= MaxSize } result ? result : null;

    private static OnnxExpression? Applied(string op, IReadOnlyList<OnnxExpression> arguments) => (op, arguments.Count) switch
    {
        ("Add", 2) => Sum(arguments[0], arguments[1]),
        ("Sub", 2) => Sum(arguments[0], Product(Scalar(-1), arguments[1])),
        ("Mul", 2) => Product(arguments[0], arguments[1]),
        ("Div", 2) when arguments[1] is Number { Value: not 0 } divisor => Product(arguments[0], Scalar(1 / divisor.Value)),
        ("Identity", 1) => arguments[0],
        ("Erf" or "Tanh" or "Sigmoid" or "Softplus" or "Exp", 1) or ("Greater", 2) or ("Where", 3) => Call(op, [.. arguments]),
        ("Clip", 3) when arguments[1] is Number && arguments[2] is Number => Call(op, [.. arguments]),
        _ => null,
    };

    /// <summary>The sum of <paramref name="terms"/>: nested sums flattened, constants added into one.</summary>
    public static OnnxExpression Sum(params OnnxExpression[] terms) => Terms.Gather(isProduct: false, terms);

    /// <summary>The product of <paramref name="factors"/>: nested products flattened, constants multiplied into one.</summary>
    public static OnnxExpression Product(params OnnxExpression[] factors) => Terms.Gather(isProduct: true, factors);

    /// <summary>An operator that the form keeps as it is (Erf, Tanh, Sigmoid, Softplus, Exp, Greater, Where, Clip).</summary>
    public static OnnxExpression Call(string op, params OnnxExpression[] arguments) => new Function(op, arguments);

    /// <summary>Whether this is the same function as <paramref name="other"/>, constants within <paramref name="tolerance"/> (relative).</summary>
    public abstract bool Matches(OnnxExpression other, double tolerance);

    /// <summary>β when this is β · x (1 for x itself); otherwise null.</summary>
    public double? ScaleOfX() => this switch
    {
        Variable => 1,
        Terms { IsProduct: true, Items: [Variable] } scaled => scaled.Constant,
        _ => null,
    };

    /// <summary>Whether two constants are the same within <paramref name="tolerance"/> of the larger.</summary>
    public static bool Close(double a, double b, double tolerance) => a == b || Math.Abs(a - b) <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b));

    /// <summary>x.</summary>
    public sealed class Variable : OnnxExpression
    {
        /// <inheritdoc/>
        public override int Size => 1;

        /// <inheritdoc/>
        public override bool Matches(OnnxExpression other, double tolerance) => other is Variable;
    }

    /// <summary>A constant.</summary>
    public sealed class Number(double value) : OnnxExpression
    {
        /// <summary>Its value.</summary>
        public double Value { get; } = value;

        /// <inheritdoc/>
        public override int Size => 1;

        /// <inheritdoc/>
        public override bool Matches(OnnxExpression other, double tolerance) => other is Number number && Close(Value, number.Value, tolerance);
    }

    /// <summary>An operator kept as it is, with its arguments in order.</summary>
    public sealed class Function(string op, OnnxExpression[] arguments) : OnnxExpression
    {
        /// <summary>The ONNX operator.</summary>
        public string Op { get; } = op;

        /// <summary>Its arguments.</summary>
        public OnnxExpression[] Arguments { get; } = arguments;

        /// <inheritdoc/>
        public override int Size { get; } = 1 + arguments.Sum(argument => argument.Size);

        /// <inheritdoc/>
        public override bool Matches(OnnxExpression other, double tolerance) =>
            other is Function function && function.Op == Op && function.Arguments.Length == Arguments.Length
            && Arguments.Zip(function.Arguments).All(pair => pair.First.Matches(pair.Second, tolerance));
    }

    /// <summary>A sum (constant + Σ items) or a product (constant · Π items) of at least one item that is not a constant.</summary>
    public sealed class Terms(bool isProduct, double constant, OnnxExpression[] items) : OnnxExpression
    {
        /// <summary>Whether the items are multiplied rather than added.</summary>
        public bool IsProduct { get; } = isProduct;

        /// <summary>The constants gathered: added to a sum, multiplying a product.</summary>
        public double Constant { get; } = constant;

        /// <summary>The other terms or factors, in the order written.</summary>
        public OnnxExpression[] Items { get; } = items;

        /// <inheritdoc/>
        public override int Size { get; } = 1 + items.Sum(item => item.Size);

        /// <summary>Flattens nested sums (or products) and gathers their constants; one item alone is itself.</summary>
        public static OnnxExpression Gather(bool isProduct, OnnxExpression[] parts)
        {
            double constant = isProduct ? 1 : 0;
            var items = new List<OnnxExpression>();
            foreach (var part in parts)
            {
                if (part is Number number) constant = isProduct ? constant * number.Value : constant + number.Value;
                else if (part is Terms nested && nested.IsProduct == isProduct)
                {
                    constant = isProduct ? constant * nested.Constant : constant + nested.Constant;
                    items.AddRange(nested.Items);
                }
                else items.Add(part);
            }
            if (items.Count == 0) return new Number(constant);
            return items.Count == 1 && constant == (isProduct ? 1 : 0) ? items[0] : new Terms(isProduct, constant, [.. items]);
        }

        /// <inheritdoc/>
        public override bool Matches(OnnxExpression other, double tolerance) =>
            other is Terms terms && terms.IsProduct == IsProduct && Close(Constant, terms.Constant, tolerance) && terms.Items.Length == Items.Length
            && Pair(0, new bool[Items.Length], terms.Items, tolerance);

        /// <summary>Whether items from <paramref name="index"/> on match distinct items of <paramref name="others"/> not yet taken, in any order.</summary>
        private bool Pair(int index, bool[] taken, OnnxExpression[] others, double tolerance)
        {
            if (index == Items.Length) return true;
            for (int j = 0; j < others.Length; j++)
            {
                if (taken[j] || !Items[index].Matches(others[j], tolerance)) continue;
                taken[j] = true;
                if (Pair(index + 1, taken, others, tolerance)) return true;
                taken[j] = false;
            }
            return false;
        }
    }
}
