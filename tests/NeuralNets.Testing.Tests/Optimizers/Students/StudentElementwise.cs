using System.Numerics;
using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>The shell a student's elementwise optimizer shares: two state arrays per parameter, one evaluate, then each element updated in turn.</summary>
internal abstract class StudentElementwise<T>(IReadOnlyList<Parameter<T>> parameters, double learningRate) : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _first = [.. parameters.Select(p => new T[p.Length])];
    private readonly T[][] _second = [.. parameters.Select(p => new T[p.Length])];

    public IReadOnlyList<Parameter<T>> Parameters => parameters;

    public double LearningRate { get; set; } = learningRate;

    public T Step(Func<T> evaluate)
    {
        T loss = evaluate();
        BeginStep();
        for (int k = 0; k < parameters.Count; k++)
        {
            Span<T> w = parameters[k].ValueSpan, g = parameters[k].GradientSpan;
            for (int i = 0; i < w.Length; i++) Update(ref w[i], g[i], ref _first[k][i], ref _second[k][i]);
        }
        return loss;
    }

    /// <summary>Called once a step, before its elements: where a rule counts its steps (Adam's t).</summary>
    protected virtual void BeginStep() { }

    /// <summary>One element's step: its weight, gradient and two state values (m and v for Adam, v and u for Adadelta).</summary>
    protected abstract void Update(ref T w, T g, ref T first, ref T second);
}
