namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>A student's plain RMSprop, written right: v ← α·v + (1 − α)·g²; w ← w − η·g/(√v + ε).</summary>
internal class StudentRmsProp(IReadOnlyList<Parameter<double>> parameters, double learningRate, double alpha = 0.99, double epsilon = 1e-8)
    : StudentElementwise<double>(parameters, learningRate)
{
    protected double Epsilon => epsilon;

    protected override void Update(ref double w, double g, ref double v, ref double unused)
    {
        v = alpha * v + (1 - alpha) * g * g;
        w -= LearningRate * g / Denominator(v);
    }

    /// <summary>√v + ε.</summary>
    protected virtual double Denominator(double v) => Math.Sqrt(v) + epsilon;
}

/// <summary>RMSprop with ε inside the root, as the lecture's Adagrad has it: √(v + ε).</summary>
internal sealed class RmsPropEpsilonInsideRoot(IReadOnlyList<Parameter<double>> parameters, double learningRate, double epsilon = 1e-8)
    : StudentRmsProp(parameters, learningRate, epsilon: epsilon)
{
    protected override double Denominator(double v) => Math.Sqrt(v + Epsilon);
}
