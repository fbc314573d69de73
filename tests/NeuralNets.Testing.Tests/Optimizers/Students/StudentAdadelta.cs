namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>
/// Adadelta as a student writes it (ρ = 0.9, ε = 1e-6), right as it stands; each variant overrides <see cref="Delta"/>
/// with its one slip, so it differs from the rule there only.
/// </summary>
internal class StudentAdadelta(IReadOnlyList<Parameter<double>> parameters, double learningRate) : StudentElementwise<double>(parameters, learningRate)
{
    protected const double Epsilon = 1e-6;

    protected override void Update(ref double w, double g, ref double v, ref double u)
    {
        v = 0.9 * v + 0.1 * g * g;
        double delta = Delta(g, v, u);
        u = 0.9 * u + 0.1 * delta * delta;
        w -= LearningRate * delta;
    }

    /// <summary>Δ = √(u + ε)/√(v + ε)·g, where v averages g² and u averages Δ².</summary>
    protected virtual double Delta(double g, double v, double u) => Math.Sqrt(u + Epsilon) / Math.Sqrt(v + Epsilon) * g;
}
