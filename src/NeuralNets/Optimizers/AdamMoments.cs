using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Optimizers;

/// <summary>The moment update shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>: the two differ only in how weight decay enters.</summary>
internal sealed class AdamMoments<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _first, _second;
    private readonly T[][]? _maxSecond;
    private readonly T[] _scratch;
    private readonly T _beta1, _beta2, _epsilon;
    private readonly double _beta1Double, _beta2Double;
    private long _step;

    public AdamMoments(Parameter<T>[] parameters, double beta1, double beta2, double epsilon, bool amsgrad)
    {
        _beta1Double = OptimizerChecks.UnitInterval(beta1, nameof(beta1));
        _beta2Double = OptimizerChecks.UnitInterval(beta2, nameof(beta2));
        OptimizerChecks.Positive(epsilon, nameof(epsilon));
        _beta1 = T.CreateChecked(beta1);
        _beta2 = T.CreateChecked(beta2);
        _epsilon = T.CreateChecked(epsilon);
        _first = OptimizerState.PerParameter(parameters);
        _second = OptimizerState.PerParameter(parameters);
        _maxSecond = amsgrad ? OptimizerState.PerParameter(parameters) : null;
        _scratch = OptimizerState.Scratch(parameters);
    }

    /// <summary>Counts a new step; call once per step before <see cref="Apply"/>.</summary>
    public void NextStep() => _step++;

    /// <summary>
    /// m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; with amsgrad v_max ← max(v_max, v) takes v's place below;
    /// w ← w − η/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε), on elements <c>[start, start + g.Length)</c>.
    /// </summary>
    public void Apply(int index, int start, ReadOnlySpan<T> g, Span<T> w, T learningRate)
    {
        // Bias corrections in double, as PyTorch computes them from a Python float step.
        double correction1 = 1 - Math.Pow(_beta1Double, _step);
        double correction2 = 1 - Math.Pow(_beta2Double, _step);
        T stepSize = learningRate / T.CreateChecked(correction1);
        T inverseRootCorrection2 = T.CreateChecked(1 / Math.Sqrt(correction2));

        var m = _first[index].AsSpan(start, g.Length);
        var v = _second[index].AsSpan(start, g.Length);
        var scratch = _scratch.AsSpan(start, g.Length);
        TensorPrimitives.Multiply(m, _beta1, m);
        TensorPrimitives.MultiplyAdd(g, T.One - _beta1, m, m);
        TensorPrimitives.Multiply(v, _beta2, v);
        TensorPrimitives.Multiply(g, g, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.One - _beta2, v, v);

        if (_maxSecond is not null)
        {
            var vMax = _maxSecond[index].AsSpan(start, g.Length);
            TensorPrimitives.Max(vMax, v, vMax);
            v = vMax;
        }
        TensorPrimitives.Sqrt(v, scratch);
        TensorPrimitives.Multiply(scratch, inverseRootCorrection2, scratch);
        TensorPrimitives.Add(scratch, _epsilon, scratch);
        TensorPrimitives.Divide(m, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -stepSize, w, w);
    }
}
