using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>The moment update shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>: the two differ only in how weight decay enters.</summary>
internal readonly record struct AdamMoments(StateBuffer ExpAvg, StateBuffer ExpAvgSq, StateBuffer MaxExpAvgSq)
{
    /// <summary>
    /// With <paramref name="decay"/> applied to w or g first: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; with amsgrad
    /// v_max ← max(v_max, v) takes v's place below; w ← w − η/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε). One pass over the range.
    /// </summary>
    public void Apply<T>(ElementRange<T> range, StepDecay<T> decay, double learningRate, double beta1, double beta2, double epsilon, bool amsgrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Bias corrections in double, as PyTorch computes them from a Python float step (with the library's own power).
        double correction1 = Power.OneMinus(beta1, range.Step);
        double correction2 = Power.OneMinus(beta2, range.Step);
        T stepSize = T.CreateChecked(learningRate) / T.CreateChecked(correction1);
        T inverseRootCorrection2 = T.CreateChecked(1 / Math.Sqrt(correction2));
        T b1 = T.CreateChecked(beta1), b2 = T.CreateChecked(beta2);

        var m = range.Buffer(ExpAvg);
        var v = range.Buffer(ExpAvgSq);
        if (!amsgrad && decay.Kind == StepDecayKind.None)
            AdamStep.Apply(range.Value, range.Gradient, m, v, b1, T.One - b1, b2, T.One - b2, inverseRootCorrection2, T.CreateChecked(epsilon), -stepSize);
        else
            AdamVariantStep.Apply(range.Value, range.Gradient, m, v, amsgrad ? range.Buffer(MaxExpAvgSq) : [], decay, amsgrad,
                new AdamVariantStep.Coefficients<T>(b1, T.One - b1, b2, T.One - b2, inverseRootCorrection2, T.CreateChecked(epsilon), -stepSize));
    }
}
