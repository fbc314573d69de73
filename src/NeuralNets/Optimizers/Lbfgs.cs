using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>
/// L-BFGS: the lecture's second-order method without the M² Hessian. It approximates the inverse Hessian from the
/// last few steps and their gradient changes, and takes each step with a strong-Wolfe line search (or, if asked, a fixed
/// step). Meant for full-batch training (one batch holding the whole training set, or a closure that evaluates all of it).
/// </summary>
/// <remarks>
/// The algorithm is PyTorch's <c>torch.optim.LBFGS</c>, iteration for iteration: with the same settings and the same
/// closure in double, the parameters agree with PyTorch's to rounding. Each <see cref="Step"/> evaluates J and g = ∇J at
/// w and, unless ‖g‖∞ ≤ <see cref="GradientTolerance"/>, runs up to <see cref="MaxIterations"/> iterations; it starts no
/// iteration once it has made <see cref="MaxEvaluations"/> calls of <c>evaluate</c> (a strong-Wolfe search may take up to
/// 26 calls of its own, so a step makes at most <see cref="MaxEvaluations"/> + 25). Iteration k (counted over all steps):
/// <code>
/// k = 1:  d = −g, no pairs, H₀ = 1
/// k &gt; 1: s = t·d and y = g − g_prev from the iteration before (the previous step's last one included);
///         kept when y·s &gt; 1e-10 (the oldest dropped beyond m = <see cref="HistorySize"/>), then H₀ = (y·s)/(y·y), ρ = 1/(y·s)
///         d = −H·g by the two-loop recursion:
///           q ← −g;  for i newest→oldest: αᵢ = ρᵢ·sᵢ·q;  q ← q − αᵢ·yᵢ
///           d ← H₀·q; for i oldest→newest: β = ρᵢ·yᵢ·d;  d ← d + sᵢ·(αᵢ − β)
/// t = min(1, 1/‖g‖₁)·η at k = 1, else η;  stop when g·d &gt; −<see cref="ChangeTolerance"/>
/// StrongWolfe: t from a search with J(w + t·d) ≤ J(w) + c₁·t·g·d and |∇J(w + t·d)·d| ≤ c₂·|g·d| (c₁ = 1e-4, c₂ = 0.9):
///              cubic extrapolation to at most 10·t, then cubic zoom kept 10 % inside a bracket that makes too little
///              progress, until |bracket|·‖d‖∞ &lt; 1e-9 (Nocedal &amp; Wright, Algorithms 3.5 and 3.6, with PyTorch's rules
///              for counting and bracketing; PyTorch's search keeps its own 1e-9 whatever <see cref="ChangeTolerance"/> is)
/// FixedStep:   J and g evaluated at the new point, except in a step's last iteration (the next step evaluates it)
/// w ← w + t·d
/// </code>
/// A step also stops when ‖t·d‖∞ or the change of the loss falls under <see cref="ChangeTolerance"/>. The pairs, H₀ and
/// the last iteration's s and g_prev carry over from one <see cref="Step"/> to the next, as in PyTorch.
/// <para>
/// When a step ends normally the parameters hold its last iterate, as PyTorch's do. When <c>evaluate</c> throws, they
/// hold the point with the lowest loss evaluated during that step, and a move that did not end there is forgotten (the
/// next step stores no pair for it). The work is done in double whatever
/// <typeparamref name="T"/> is; for float the loss is evaluated at the float-rounded point. A non-finite loss counts as
/// +∞, so the search backs off from it (where PyTorch's would carry a NaN step length); a step that starts at one still
/// iterates on its gradient, as PyTorch's does.
/// </para>
/// <para>
/// Why not MathNet.Numerics' <c>LimitedMemoryBfgsMinimizer</c> (5.0): it searches with a weak-Wolfe bisection that it
/// fixes internally, and its <c>StrongWolfeLineSearch</c> raises the lower bound when the slope is steep and positive
/// (a step past the minimum), so neither is a strong-Wolfe search; it throws <c>MaximumIterationsException</c>,
/// losing the point, when it reaches its iteration cap, which a per-step budget reaches as a matter of course; it
/// starts a fresh memory on every call, so curvature pairs cannot carry from one step to the next; and its first
/// trial step is 100·tolerance/‖g‖², far too short for a network. The two-loop recursion and the line search are
/// therefore written here, from the formulas in Nocedal &amp; Wright, Numerical Optimization (2nd ed.), chapters 3 and 7,
/// and the counting rules PyTorch documents.
/// </para>
/// <para>
/// Same seed, same steps on every CPU of a numeric family: the dot products and ‖g‖₁ are summed in an order that
/// does not follow the vector width (<c>Kernels/FixedSum.cs</c>), and q ← q − αᵢ·yᵢ rounds the product before the sum
/// at every width; the rest is one IEEE operation per element.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed partial class Lbfgs<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double CurvatureThreshold = 1e-10;

    private readonly Parameter<T>[] _parameters;
    private readonly int _length;
    private readonly double[] _x, _g, _d, _xTrial, _best, _gIterationStart;
    private double[] _gPrevious, _gTrial, _gSpare, _sSpare, _ySpare;
    private readonly double[][] _s, _y;
    private readonly double[] _rho, _alpha;
    private int _pairs, _oldest;
    private long _steps, _iterations;
    private double _learningRate, _hessianScale = 1;

    // Whether _sSpare holds the last iteration's s = t·d and _gIterationStart the gradient it started from: the pair
    // they make with the next gradient is stored at the next iteration, as PyTorch stores it.
    private bool _hasLastStep;

    // The current step's closure and its bookkeeping; fields so that the line search needs no delegates.
    private Func<T>? _evaluate;
    private int _evaluations;
    private double _bestLoss;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, the first step length tried along d (the step itself with <see cref="LbfgsLineSearch.FixedStep"/>), positive. Default 1 (the Newton step).</param>
    /// <param name="maxIterations">Iterations per <see cref="Step"/>, at least 1. Default 20.</param>
    /// <param name="maxEvaluations">Calls of <c>evaluate</c> after which a <see cref="Step"/> starts no further iteration, at least 1. Default ⌊1.25·<paramref name="maxIterations"/>⌋ (PyTorch's max_eval), at most <see cref="int.MaxValue"/>.</param>
    /// <param name="gradientTolerance">Stop when ‖g‖∞ is at most this, non-negative. Default 1e-7.</param>
    /// <param name="changeTolerance">Stop when a step or a change of the loss is under this, non-negative. Default 1e-9. The strong-Wolfe search's bracket keeps PyTorch's fixed 1e-9.</param>
    /// <param name="historySize">m, the number of (s, y) pairs kept, at least 1. Default 100.</param>
    /// <param name="lineSearch">How t is chosen. Default <see cref="LbfgsLineSearch.StrongWolfe"/> (PyTorch's default is no line search, <see cref="LbfgsLineSearch.FixedStep"/>).</param>
    public Lbfgs(
        IEnumerable<Parameter<T>> parameters, double learningRate = 1, int maxIterations = 20, int? maxEvaluations = null,
        double gradientTolerance = 1e-7, double changeTolerance = 1e-9, int historySize = 100,
        LbfgsLineSearch lineSearch = LbfgsLineSearch.StrongWolfe)
    {
        _parameters = ParameterList.Collect(parameters);
        LearningRate = learningRate;
        MaxIterations = OptimizerChecks.AtLeastOne(maxIterations, nameof(maxIterations));
        MaxEvaluations = OptimizerChecks.AtLeastOne(maxEvaluations ?? (int)Math.Min(int.MaxValue, maxIterations * 5L / 4), nameof(maxEvaluations));
        GradientTolerance = OptimizerChecks.NonNegative(gradientTolerance, nameof(gradientTolerance));
        ChangeTolerance = OptimizerChecks.NonNegative(changeTolerance, nameof(changeTolerance));
        HistorySize = OptimizerChecks.AtLeastOne(historySize, nameof(historySize));
        if (!Enum.IsDefined(lineSearch))
            throw new ArgumentOutOfRangeException(nameof(lineSearch), FormattableString.Invariant($"{(int)lineSearch} is not an LbfgsLineSearch (StrongWolfe or FixedStep)."));
        LineSearch = lineSearch;

        foreach (var p in _parameters) _length = checked(_length + p.Length);
        _x = new double[_length];
        _g = new double[_length];
        _d = new double[_length];
        _xTrial = new double[_length];
        _best = new double[_length];
        _gIterationStart = new double[_length];
        _gPrevious = new double[_length];
        _gTrial = new double[_length];
        _gSpare = new double[_length];
        _sSpare = new double[_length];
        _ySpare = new double[_length];
        // The pairs' vectors are allocated as the history first fills, once each.
        _s = new double[historySize][];
        _y = new double[historySize][];
        _rho = new double[historySize];
        _alpha = new double[historySize];
        KernelWarmUp.Enqueue(typeof(Lbfgs<T>), Rehearse);
    }

    /// <summary>
    /// The warm-up's rehearsal, once per process and element type: a private L-BFGS of each kind runs a few iterations
    /// on a private parameter of 23 elements (the loss Σ x², its gradient 2x), so that a first step finds the rule, its
    /// line search and its history compiled.
    /// </summary>
    internal static void Rehearse()
    {
        foreach (var lineSearch in (ReadOnlySpan<LbfgsLineSearch>)[LbfgsLineSearch.StrongWolfe, LbfgsLineSearch.FixedStep])
        {
            var parameter = new Parameter<T>("rehearsal", 23);
            for (int i = 0; i < parameter.Length; i++) parameter.ValueSpan[i] = T.CreateTruncating(i % 7 - 3);
            var rule = new Lbfgs<T>([parameter], learningRate: 0.25, maxIterations: 4, historySize: 2, lineSearch: lineSearch);
            for (int step = 0; step < 2; step++)
            {
                rule.Step(() =>
                {
                    var x = parameter.ValueSpan;
                    var g = parameter.GradientSpan;
                    T loss = T.Zero;
                    for (int i = 0; i < x.Length; i++)
                    {
                        g[i] = x[i] + x[i];
                        loss += x[i] * x[i];
                    }
                    return loss;
                });
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerChecks.Positive(value, "learningRate");
    }

    /// <summary>Forgets the curvature pairs, the last step and the counts, so the next step starts from steepest descent as the first did.</summary>
    public void Reset() => (_pairs, _oldest, _steps, _iterations, _hessianScale, _hasLastStep) = (0, 0, 0, 0, 1, false);

    /// <summary>The number of curvature pairs (s, y) now stored, at most <see cref="HistorySize"/>.</summary>
    public int StoredPairs => _pairs;

    /// <summary>The number of <see cref="Step"/> calls since the start or the last <see cref="Reset"/>.</summary>
    public long Steps => _steps;

    /// <summary>
    /// The number of iterations begun over all steps, PyTorch's <c>n_iter</c> (an iteration that finds no downhill
    /// direction counts too).
    /// </summary>
    public long Iterations => _iterations;

    /// <summary>Iterations per <see cref="Step"/>.</summary>
    public int MaxIterations { get; }

    /// <summary>Calls of <c>evaluate</c> after which a <see cref="Step"/> starts no further iteration (its last line search may add up to 25).</summary>
    public int MaxEvaluations { get; }

    /// <summary>A step stops when ‖g‖∞ is at most this.</summary>
    public double GradientTolerance { get; }

    /// <summary>A step stops when ‖t·d‖∞ or the change of the loss is under this.</summary>
    public double ChangeTolerance { get; }

    /// <summary>m, the number of curvature pairs kept.</summary>
    public int HistorySize { get; }

    /// <summary>How the step length along each direction is chosen.</summary>
    public LbfgsLineSearch LineSearch { get; }

    /// <inheritdoc/>
    /// <remarks>Calls <paramref name="evaluate"/> at most <see cref="MaxEvaluations"/> + 25 times (see the class remarks); returns the loss at the starting point.</remarks>
    public T Step(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        _evaluate = evaluate;
        _evaluations = 0;
        _bestLoss = double.PositiveInfinity;
        ReadParameters(_x);
        _x.CopyTo(_best, 0);
        _steps++;
        bool finished = false;
        try
        {
            T firstLoss = _evaluate();
            double loss = Record(firstLoss, _x, _g);
            if (MaxAbs(_g) > GradientTolerance) Iterate(loss);
            finished = true;
            return firstLoss;
        }
        finally
        {
            // Back at the best point, the last move (if it did not end there) was abandoned: no pair is made of it.
            if (!finished && !_best.AsSpan().SequenceEqual(_x)) _hasLastStep = false;
            WriteParameters(finished ? _x : _best);
            _evaluate = null;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"Lbfgs(learningRate={_learningRate}, maxIterations={MaxIterations}, maxEvaluations={MaxEvaluations}, historySize={HistorySize}, lineSearch={LineSearch})");

    /// <summary>The iterations of one step from w = _x, where J = <paramref name="loss"/> and ∇J = _g.</summary>
    private void Iterate(double loss)
    {
        double rate = double.CreateChecked(T.CreateChecked(_learningRate)); // η as the parameters' type holds it, like every rule
        for (int iteration = 1; iteration <= MaxIterations; iteration++)
        {
            _iterations++;
            // The very first iteration (PyTorch's n_iter == 1) starts from an empty history; every later one first stores
            // the pair the iteration before it made, now that its end point's gradient is known.
            if (_iterations == 1) (_pairs, _oldest, _hessianScale, _hasLastStep) = (0, 0, 1, false);
            else StoreLastStep();
            double slope = Direction();
            _g.CopyTo(_gIterationStart, 0);
            double previousLoss = loss;
            double t = _iterations == 1 ? Math.Min(1, 1 / FixedSum.SumOfMagnitudes<double>(_g)) * rate : rate;
            if (slope > -ChangeTolerance) break;

            if (LineSearch == LbfgsLineSearch.StrongWolfe)
            {
                t = SearchAlong(loss, slope, t, out loss, out double[] gradient);
                gradient.CopyTo(_g, 0);
                Move(t);
            }
            else
            {
                Move(t);
                // The last iteration's point is left for the next step's first evaluation, as PyTorch leaves it.
                if (iteration != MaxIterations) loss = EvaluateAt(_x, _g);
            }

            if (iteration == MaxIterations || _evaluations >= MaxEvaluations || MaxAbs(_g) <= GradientTolerance
                || t * MaxAbs(_d) <= ChangeTolerance || Math.Abs(loss - previousLoss) < ChangeTolerance)
                break;
        }
    }

    /// <summary>w ← w + t·d, keeping s = t·d for the pair the next iteration stores.</summary>
    private void Move(double t)
    {
        TensorPrimitives.Multiply<double>(_d, t, _sSpare);
        TensorPrimitives.Add<double>(_x, _sSpare, _x);
        _hasLastStep = true;
    }

    /// <summary>Stores the pair (s, y = g − g_prev) of the last iteration when its curvature y·s exceeds 1e-10.</summary>
    private void StoreLastStep()
    {
        if (!_hasLastStep) return;
        _hasLastStep = false;
        TensorPrimitives.Subtract<double>(_g, _gIterationStart, _ySpare);
        double ys = FixedSum.Dot<double>(_ySpare, _sSpare);
        if (!(ys > CurvatureThreshold)) return;
        _hessianScale = ys / FixedSum.Dot<double>(_ySpare, _ySpare);
        KeepSparePair(1 / ys);
    }

    /// <summary>d = −H·g by the two-loop recursion; returns the slope g·d.</summary>
    private double Direction()
    {
        var q = _d.AsSpan();
        TensorPrimitives.Negate<double>(_g, q);
        if (_iterations == 1) return FixedSum.Dot<double>(_g, q);
        int m = _s.Length;
        for (int k = _pairs - 1; k >= 0; k--)
        {
            int i = (_oldest + k) % m;
            _alpha[i] = FixedSum.Dot<double>(_s[i], q) * _rho[i];
            Elementwise.MultiplyAdd<double>(_y[i], -_alpha[i], q, q);
        }
        TensorPrimitives.Multiply<double>(q, _hessianScale, q);
        for (int k = 0; k < _pairs; k++)
        {
            int i = (_oldest + k) % m;
            double beta = FixedSum.Dot<double>(_y[i], q) * _rho[i];
            Elementwise.MultiplyAdd<double>(_s[i], _alpha[i] - beta, q, q);
        }
        return FixedSum.Dot<double>(_g, q);
    }

    /// <summary>Moves the spare pair into the history, over the oldest pair when it is full.</summary>
    private void KeepSparePair(double rho)
    {
        int m = _s.Length;
        int slot = (_oldest + _pairs) % m;
        // The slot's old vectors (allocated once, on first use) become the next spare.
        (_s[slot], _sSpare) = (_sSpare, _s[slot] ?? new double[_length]);
        (_y[slot], _ySpare) = (_ySpare, _y[slot] ?? new double[_length]);
        _rho[slot] = rho;
        if (_pairs < m) _pairs++;
        else _oldest = (_oldest + 1) % m;
    }

    /// <summary>Evaluates at <paramref name="point"/>, leaving its gradient in <paramref name="gradient"/>; a non-finite loss counts as +∞.</summary>
    private double EvaluateAt(double[] point, double[] gradient)
    {
        WriteParameters(point);
        return Record(_evaluate!(), point, gradient);
    }

    private double Record(T loss, double[] point, double[] gradient)
    {
        _evaluations++;
        double value = double.CreateTruncating(loss);
        ReadGradients(gradient);
        if (!double.IsFinite(value)) return double.PositiveInfinity;
        if (value < _bestLoss)
        {
            _bestLoss = value;
            point.CopyTo(_best, 0);
        }
        return value;
    }

    private void ReadParameters(double[] destination)
    {
        int offset = 0;
        foreach (var p in _parameters)
        {
            TensorPrimitives.ConvertTruncating<T, double>(p.ValueSpan, destination.AsSpan(offset, p.Length));
            offset += p.Length;
        }
    }

    private void ReadGradients(double[] destination)
    {
        int offset = 0;
        foreach (var p in _parameters)
        {
            TensorPrimitives.ConvertTruncating<T, double>(p.GradientSpan, destination.AsSpan(offset, p.Length));
            offset += p.Length;
        }
    }

    private void WriteParameters(double[] source)
    {
        int offset = 0;
        foreach (var p in _parameters)
        {
            TensorPrimitives.ConvertTruncating<double, T>(source.AsSpan(offset, p.Length), p.ValueSpan);
            offset += p.Length;
        }
    }

    private static double MaxAbs(ReadOnlySpan<double> values) => values.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(values));
}
