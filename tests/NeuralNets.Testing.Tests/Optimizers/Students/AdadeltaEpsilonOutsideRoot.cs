namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>Adadelta with ε added after the square roots, as Adam adds it: (√u + ε)/(√v + ε)·g, so the first steps hardly move.</summary>
internal sealed class AdadeltaEpsilonOutsideRoot(IReadOnlyList<Parameter<double>> parameters, double learningRate) : StudentAdadelta(parameters, learningRate)
{
    protected override double Delta(double g, double v, double u) => (Math.Sqrt(u) + Epsilon) / (Math.Sqrt(v) + Epsilon) * g;
}
