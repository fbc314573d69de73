using System.Globalization;
using System.Numerics;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Optimizers;

// L-BFGS's state as plain data: the curvature pairs, their ρ, H₀'s scale, the counts, and the last iteration's s and
// starting gradient (the pair the next step stores). Each Step begins by evaluating J and ∇J at the current point, so no
// loss carries from one Step to the next.
public sealed partial class Lbfgs<T>
{
    private const string PairsScalar = "pairs", IterationsScalar = "iterations", ScaleScalar = "hessianScale";
    private const string LastStepBuffer = "lastStep", LastGradientBuffer = "lastGradient", LineSearchSetting = "lineSearch";

    /// <summary>
    /// The state as plain data: the hyperparameters, and for each parameter its slices of the stored pairs, named
    /// <c>s0</c>, <c>y0</c>, <c>s1</c>, … from the oldest pair to the newest (the vectors sᵢ and yᵢ run over all
    /// parameters in order, so each parameter holds its part of every pair), and, once an iteration has moved, the last
    /// iteration's step s (<c>lastStep</c>) and the gradient it started from (<c>lastGradient</c>), with
    /// <see cref="Steps"/> as each parameter's step. The whole optimizer's <see cref="OptimizerSnapshot.Scalars"/> hold
    /// the number of pairs (<c>pairs</c>), each pair's ρᵢ = 1/(yᵢ·sᵢ) (<c>rho0</c>, <c>rho1</c>, …), H₀'s scale
    /// (<c>hessianScale</c>) and <see cref="Iterations"/>. The hyperparameter <c>lineSearch</c> is 0 for
    /// <see cref="LbfgsLineSearch.StrongWolfe"/> and 1 for <see cref="LbfgsLineSearch.FixedStep"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two parameters share a name, so a snapshot by name would be ambiguous.</exception>
    public OptimizerSnapshot ExportState()
    {
        CheckUniqueNames();
        var scalars = new Dictionary<string, double> { [PairsScalar] = _pairs, [IterationsScalar] = _iterations, [ScaleScalar] = _hessianScale };
        for (int k = 0; k < _pairs; k++) scalars[Rho(k)] = _rho[Slot(k)];
        var parameters = new ParameterStateSnapshot[_parameters.Length];
        int offset = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var buffers = new Dictionary<string, double[]>();
            for (int k = 0; k < _pairs; k++)
            {
                buffers[S(k)] = _s[Slot(k)].AsSpan(offset, p.Length).ToArray();
                buffers[Y(k)] = _y[Slot(k)].AsSpan(offset, p.Length).ToArray();
            }
            if (_hasLastStep)
            {
                buffers[LastStepBuffer] = _sSpare.AsSpan(offset, p.Length).ToArray();
                buffers[LastGradientBuffer] = _gIterationStart.AsSpan(offset, p.Length).ToArray();
            }
            parameters[i] = new ParameterStateSnapshot(p.Name, [.. p.Shape], _steps, buffers, new Dictionary<string, double>());
            offset += p.Length;
        }
        return new OptimizerSnapshot(nameof(Lbfgs<T>), typeof(T).Name, Hyperparameters(), parameters, scalars);
    }

    /// <summary>
    /// Restores a snapshot from <see cref="ExportState"/>: the learning rate (which may change mid-run) and the pairs;
    /// the other hyperparameters must equal this optimizer's. All or nothing. A snapshot written before the line search
    /// could be chosen, H₀'s scale was kept and the last step was stored (a strong-Wolfe run without <c>lineSearch</c>,
    /// <c>hessianScale</c>, <c>lastStep</c> and <c>lastGradient</c>) is read as such a run: H₀ from the newest pair, and
    /// no pending pair.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The snapshot is of another kind or element type, differs in a fixed hyperparameter, names other parameters or
    /// shapes, holds more pairs than <see cref="HistorySize"/>, lacks or adds a pair's slice or ρ, holds a ρ or scale
    /// that is not positive and finite, or holds the last step for some parameters only; the message names which.
    /// Nothing has changed then.
    /// </exception>
    public void ImportState(OptimizerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        CheckUniqueNames();
        if (snapshot.Kind != nameof(Lbfgs<T>))
            throw Error($"The snapshot is of {snapshot.Kind}, but this optimizer is {nameof(Lbfgs<T>)}.");
        if (snapshot.ElementType != typeof(T).Name)
            throw Error($"The snapshot holds {snapshot.ElementType} state, but this optimizer's element type is {typeof(T).Name}.");
        var own = Hyperparameters();
        foreach (var (name, value) in snapshot.Hyperparameters)
            if (!own.ContainsKey(name)) throw Error($"The snapshot has the hyperparameter '{name}', which Lbfgs does not have; it has [{string.Join(", ", own.Keys)}].");
        foreach (var (name, value) in own)
        {
            if (!snapshot.Hyperparameters.TryGetValue(name, out double saved))
            {
                // Snapshots from before the choice of line search are of strong-Wolfe runs.
                if (name == LineSearchSetting) saved = (double)LbfgsLineSearch.StrongWolfe;
                else throw Error($"The snapshot lacks the hyperparameter '{name}'.");
            }
            if (name != "learningRate" && !saved.Equals(value))
                throw Error(Text($"The snapshot has {name} = {saved}, but this optimizer was built with {value}; build it with the same settings."));
        }
        double learningRate = snapshot.Hyperparameters["learningRate"];
        if (!double.IsFinite(learningRate) || learningRate <= 0) throw Error(Text($"The snapshot has learningRate = {learningRate}; it must be finite and positive."));

        var (pairs, iterations, rho, scale) = ReadScalars(snapshot.Scalars);
        var byName = new Dictionary<string, ParameterStateSnapshot>();
        foreach (var p in snapshot.Parameters)
        {
            if (p is null) throw Error("The snapshot's parameter list holds a null.");
            if (!byName.TryAdd(p.Name, p)) throw Error($"The snapshot holds parameter '{p.Name}' twice.");
        }
        if (byName.Count != _parameters.Length)
            throw Error(Text($"The snapshot holds the state of {byName.Count} parameters, but this optimizer has {_parameters.Length}."));
        var s = new double[pairs][];
        var y = new double[pairs][];
        for (int k = 0; k < pairs; k++) (s[k], y[k]) = (new double[_length], new double[_length]);
        double[]? lastStep = null, lastGradient = null;
        long steps = -1;
        int offset = 0;
        foreach (var parameter in _parameters)
        {
            if (!byName.TryGetValue(parameter.Name, out var p))
                throw Error($"The snapshot has no state for parameter '{parameter.Name}'; it has [{string.Join(", ", byName.Keys)}].");
            if (!p.Shape.SequenceEqual(parameter.Shape))
                throw Error($"The snapshot gives parameter '{parameter.Name}' the shape {TensorMemory.ShapeText(p.Shape)}, but it has {TensorMemory.ShapeText(parameter.Shape)}.");
            if (p.Step < 0 || (steps >= 0 && p.Step != steps))
                throw Error(Text($"The snapshot gives parameter '{parameter.Name}' the step {p.Step}; L-BFGS steps all parameters together, so every step count is the same non-negative number."));
            steps = p.Step;
            if (p.Scalars.Count > 0) throw Error($"The snapshot has scalars for parameter '{parameter.Name}'; L-BFGS keeps none per parameter.");
            bool hasLast = p.Buffers.ContainsKey(LastStepBuffer) || p.Buffers.ContainsKey(LastGradientBuffer);
            if (offset == 0 && hasLast) (lastStep, lastGradient) = (new double[_length], new double[_length]);
            if (hasLast != lastStep is not null)
                throw Error($"The snapshot holds the last step (lastStep, lastGradient) for some parameters only: parameter '{parameter.Name}' differs from the first; it is all parameters' or none.");
            if (hasLast && !(p.Buffers.ContainsKey(LastStepBuffer) && p.Buffers.ContainsKey(LastGradientBuffer)))
                throw Error($"The snapshot holds one of 'lastStep' and 'lastGradient' for parameter '{parameter.Name}' without the other.");
            int expected = 2 * pairs + (hasLast ? 2 : 0);
            if (p.Buffers.Count != expected)
                throw Error(Text($"The snapshot holds {p.Buffers.Count} buffers for parameter '{parameter.Name}', but {pairs} pairs{(hasLast ? " and the last step" : "")} need {expected} (s0, y0, …{(hasLast ? ", lastStep, lastGradient" : "")})."));
            for (int k = 0; k < pairs; k++)
            {
                Slice(p, S(k), parameter.Length).CopyTo(s[k], offset);
                Slice(p, Y(k), parameter.Length).CopyTo(y[k], offset);
            }
            if (hasLast)
            {
                Slice(p, LastStepBuffer, parameter.Length).CopyTo(lastStep!, offset);
                Slice(p, LastGradientBuffer, parameter.Length).CopyTo(lastGradient!, offset);
            }
            offset += parameter.Length;
        }

        // Checked: now replace. The pairs go to slots 0…pairs−1, oldest first; the ring's order, and so every sum, is the same.
        _learningRate = learningRate;
        for (int k = 0; k < pairs; k++) (_s[k], _y[k], _rho[k]) = (s[k], y[k], rho[k]);
        (_pairs, _oldest, _steps, _iterations) = (pairs, 0, Math.Max(steps, 0), iterations);
        _hessianScale = scale ?? (pairs == 0 ? 1 : 1 / (rho[pairs - 1] * FixedSum.Dot<double>(y[pairs - 1], y[pairs - 1])));
        _hasLastStep = lastStep is not null;
        if (_hasLastStep)
        {
            lastStep!.CopyTo(_sSpare, 0);
            lastGradient!.CopyTo(_gIterationStart, 0);
        }
    }

    private Dictionary<string, double> Hyperparameters() => new()
    {
        ["learningRate"] = _learningRate, ["maxIterations"] = MaxIterations, ["maxEvaluations"] = MaxEvaluations,
        ["gradientTolerance"] = GradientTolerance, ["changeTolerance"] = ChangeTolerance, ["historySize"] = HistorySize,
        [LineSearchSetting] = (double)LineSearch,
    };

    private (int Pairs, long Iterations, double[] Rho, double? Scale) ReadScalars(IReadOnlyDictionary<string, double> scalars)
    {
        double Count(string name, double max)
        {
            if (!scalars.TryGetValue(name, out double value)) throw Error($"The snapshot lacks the optimizer scalar '{name}'.");
            if (!(value >= 0 && value <= max) || value != Math.Floor(value))
                throw Error(Text($"The snapshot's optimizer scalar '{name}' is {value}; it must be a whole number in [0, {max}]."));
            return value;
        }
        int pairs = (int)Count(PairsScalar, HistorySize);
        long iterations = (long)Count(IterationsScalar, 9007199254740992);
        var rho = new double[pairs];
        for (int k = 0; k < pairs; k++)
        {
            if (!scalars.TryGetValue(Rho(k), out rho[k])) throw Error(Text($"The snapshot holds {pairs} pairs but lacks '{Rho(k)}'."));
            if (!double.IsFinite(rho[k]) || rho[k] <= 0)
                throw Error(Text($"The snapshot's '{Rho(k)}' is {rho[k]}; a stored pair's ρ = 1/(y·s) is finite and positive."));
        }
        double? scale = null;
        if (scalars.TryGetValue(ScaleScalar, out double saved))
        {
            if (!double.IsFinite(saved) || saved <= 0)
                throw Error(Text($"The snapshot's '{ScaleScalar}' is {saved}; H₀'s scale (y·s)/(y·y) is finite and positive."));
            scale = saved;
        }
        if (scalars.Count != 2 + pairs + (scale is null ? 0 : 1))
        {
            var extra = scalars.Keys.First(name => name is not (PairsScalar or IterationsScalar or ScaleScalar) && !IsRho(name, pairs));
            throw Error($"The snapshot has the optimizer scalar '{extra}', which Lbfgs does not keep.");
        }
        return (pairs, iterations, rho, scale);
    }

    private static bool IsRho(string name, int pairs)
    {
        for (int k = 0; k < pairs; k++)
            if (name == Rho(k)) return true;
        return false;
    }

    private static double[] Slice(ParameterStateSnapshot p, string name, int length)
    {
        if (!p.Buffers.TryGetValue(name, out var values) || values is null) throw Error($"The snapshot lacks the buffer '{name}' of parameter '{p.Name}'.");
        if (values.Length != length)
            throw Error(Text($"The snapshot's buffer '{name}' of parameter '{p.Name}' holds {values.Length} values, but the parameter has {length}."));
        foreach (double v in values)
            if (!double.IsFinite(v)) throw Error($"The snapshot's buffer '{name}' of parameter '{p.Name}' holds a value that is not finite.");
        return values;
    }

    private int Slot(int k) => (_oldest + k) % _s.Length;

    private static string S(int k) => "s" + k.ToString(CultureInfo.InvariantCulture);

    private static string Y(int k) => "y" + k.ToString(CultureInfo.InvariantCulture);

    private static string Rho(int k) => "rho" + k.ToString(CultureInfo.InvariantCulture);

    private static ArgumentException Error(string message) => new(message, "snapshot");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void CheckUniqueNames()
    {
        var names = new HashSet<string>();
        foreach (var p in _parameters)
            if (!names.Add(p.Name))
                throw new InvalidOperationException($"Two parameters of this optimizer are named '{p.Name}'; state by name needs unique names.");
    }
}
