namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>Adadelta with the two running averages swapped in Δ: √(v + ε)/√(u + ε)·g, the gradient's average on top.</summary>
internal sealed class AdadeltaSwappingAverages(IReadOnlyList<Parameter<double>> parameters, double learningRate) : StudentAdadelta(parameters, learningRate)
{
    protected override double Delta(double g, double v, double u) => Math.Sqrt(v + Epsilon) / Math.Sqrt(u + Epsilon) * g;
}
