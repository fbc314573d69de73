namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>Adam in float as often first written: the moments are used without dividing by 1 − βᵗ (β1 = 0.9, β2 = 0.999, ε = 1e-8).</summary>
internal sealed class FloatAdamWithoutBiasCorrection(IReadOnlyList<Parameter<float>> parameters, double learningRate) : StudentElementwise<float>(parameters, learningRate)
{
    protected override void Update(ref float w, float g, ref float m, ref float v)
    {
        m = 0.9f * m + 0.1f * g;
        v = 0.999f * v + 0.001f * g * g;
        w -= (float)LearningRate * m / (MathF.Sqrt(v) + 1e-8f);
    }
}
