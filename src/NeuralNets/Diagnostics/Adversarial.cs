using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>
/// Adversarial examples, as the lecture makes them: follow the gradient of the loss with respect to
/// the <em>input</em> (which every layer's Backward returns) instead of the weights.
/// </summary>
/// <remarks>
/// Each method runs the network in inference mode and leaves every parameter gradient at zero
/// afterwards, so that a training step that follows is not polluted.
/// </remarks>
public static class Adversarial
{
    /// <summary>∇ₓL: the gradient of the mean loss with respect to each input element.</summary>
    /// <returns>A new tensor shaped like <paramref name="input"/>.</returns>
    public static Tensor<T> InputGradient<T>(ILayer<T> network, ILoss<T> loss, Tensor<T> input, Tensor<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        var gradient = new T[input.FlattenedLength];
        InputGradientInto(network, loss, input, target, gradient);
        return TensorMemory.Wrap(gradient, input.Shape());
    }

    /// <summary>
    /// The fast gradient sign method (untargeted): <c>x′ = clip(x + ε·sign(∇ₓL(x, y)), min, max)</c>, pushing
    /// each input element the way that raises the loss of the true label <paramref name="target"/>.
    /// </summary>
    /// <param name="network">The attacked network.</param>
    /// <param name="loss">The loss whose gradient is followed (e.g. <see cref="SoftmaxCrossEntropy{T}"/>).</param>
    /// <param name="input">Clean inputs.</param>
    /// <param name="target">Their true targets.</param>
    /// <param name="epsilon">The largest change of any element (L∞ budget), non-negative.</param>
    /// <param name="min">Lower bound of a valid input element (0 for pixels in [0, 1]).</param>
    /// <param name="max">Upper bound of a valid input element.</param>
    public static Tensor<T> FastGradientSign<T>(ILayer<T> network, ILoss<T> loss, Tensor<T> input, Tensor<T> target, double epsilon, double min = 0, double max = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBudget(epsilon, min, max);
        var gradient = InputGradient(network, loss, input, target).Span();
        var adversarial = input.Span().ToArray();
        Perturb(adversarial, gradient, T.CreateChecked(epsilon));
        Clip(adversarial, input.Span(), T.CreateChecked(epsilon), T.CreateChecked(min), T.CreateChecked(max));
        return TensorMemory.Wrap(adversarial, input.Shape());
    }

    /// <summary>
    /// A targeted attack by projected gradient descent: <paramref name="steps"/> times
    /// <c>x ← Π(x − α·sign(∇ₓL(x, t)))</c>, lowering the loss of the chosen wrong class t (so raising its
    /// score and lowering the others, the lecture's "make y₁ low while making y₂ large"). Π keeps every element
    /// within ε of the clean input and inside [min, max].
    /// </summary>
    /// <param name="network">The attacked network.</param>
    /// <param name="loss">The loss towards the wanted class (e.g. <see cref="SoftmaxCrossEntropy{T}"/>).</param>
    /// <param name="input">Clean inputs.</param>
    /// <param name="wantedTarget">The class (or target) the attack wants the network to output.</param>
    /// <param name="epsilon">The L∞ budget, non-negative.</param>
    /// <param name="stepSize">α, the change per step, positive.</param>
    /// <param name="steps">Number of steps, positive.</param>
    /// <param name="min">Lower bound of a valid input element.</param>
    /// <param name="max">Upper bound of a valid input element.</param>
    public static Tensor<T> Targeted<T>(ILayer<T> network, ILoss<T> loss, Tensor<T> input, Tensor<T> wantedTarget,
        double epsilon, double stepSize, int steps, double min = 0, double max = 1)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Targeted(network, loss, input, wantedTarget, epsilon, stepSize, steps, trace: null, min, max);

    /// <summary>
    /// The targeted attack of <see cref="Targeted{T}(ILayer{T}, ILoss{T}, Tensor{T}, Tensor{T}, double, double, int, double, double)"/>,
    /// recording into <paramref name="trace"/> what the network outputs at every iterate x₀ (the clean input) … x<sub>steps</sub>:
    /// the lecture's picture of y₁ falling while y₂ rises.
    /// </summary>
    /// <remarks>
    /// The outputs at x₀ … x<sub>steps−1</sub> are those of the forward passes the gradients need; one more forward pass gives
    /// the last. The trace's storage is sized once, before the first step; the steps allocate nothing more for it.
    /// </remarks>
    /// <param name="network">The attacked network.</param>
    /// <param name="loss">The loss towards the wanted class (e.g. <see cref="SoftmaxCrossEntropy{T}"/>).</param>
    /// <param name="input">Clean inputs.</param>
    /// <param name="wantedTarget">The class (or target) the attack wants the network to output.</param>
    /// <param name="epsilon">The L∞ budget, non-negative.</param>
    /// <param name="stepSize">α, the change per step, positive.</param>
    /// <param name="steps">Number of steps, positive.</param>
    /// <param name="trace">Receives the outputs at every iterate (replacing what it held); null records nothing.</param>
    /// <param name="min">Lower bound of a valid input element.</param>
    /// <param name="max">Upper bound of a valid input element.</param>
    public static Tensor<T> Targeted<T>(ILayer<T> network, ILoss<T> loss, Tensor<T> input, Tensor<T> wantedTarget,
        double epsilon, double stepSize, int steps, AttackTrace<T>? trace, double min = 0, double max = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBudget(epsilon, min, max);
        if (!(stepSize > 0) || !double.IsFinite(stepSize)) throw new ArgumentOutOfRangeException(nameof(stepSize), string.Create(CultureInfo.InvariantCulture, $"The step size must be positive and finite, but was {stepSize}."));
        ArgumentRange.ThrowIfNegativeOrZero(steps);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(wantedTarget);
        var clean = input.Span();
        var adversarial = clean.ToArray();
        var current = TensorMemory.Wrap(adversarial, input.Shape());
        var gradient = new T[adversarial.Length];
        T e = T.CreateChecked(epsilon), lo = T.CreateChecked(min), hi = T.CreateChecked(max), minusAlpha = T.CreateChecked(-stepSize);
        for (int step = 0; step < steps; step++)
        {
            var output = InputGradientInto(network, loss, current, wantedTarget, gradient);
            if (trace is not null)
            {
                if (step == 0) trace.Start(steps + 1, input.BatchSize(), output.SampleSize());
                trace.Record(step, output.Span());
            }
            Perturb(adversarial, gradient, minusAlpha);
            Clip(adversarial, clean, e, lo, hi);
        }
        trace?.Record(steps, network.Forward(current, training: false).Span());
        return current;
    }

    /// <summary>
    /// FGSM into <paramref name="destination"/> (the same length as <paramref name="input"/>), without allocating once the
    /// network's buffers are sized: the training loop's adversarial batches.
    /// </summary>
    internal static void FastGradientSignInto<T>(ILayer<T> network, ReadOnlySpan<Parameter<T>> parameters, ILoss<T> loss,
        Tensor<T> input, Tensor<T> target, T epsilon, T min, T max, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The parameter gradients this backward writes are overwritten by the training step's own backward.
        foreach (var p in parameters) p.ZeroGradientDeferred();
        loss.Forward(network.Forward(input, training: false), target);
        var gradient = network.Backward(loss.Backward()).Span();
        var clean = input.Span();
        clean.CopyTo(destination);
        Perturb(destination, gradient, epsilon);
        Clip(destination, clean, epsilon, min, max);
    }

    // Returns the network's output at the input (valid until its next forward pass).
    private static Tensor<T> InputGradientInto<T>(ILayer<T> network, ILoss<T> loss, Tensor<T> input, Tensor<T> target, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var p in network.Parameters) p.ZeroGradient();
        var output = network.Forward(input, training: false);
        loss.Forward(output, target);
        network.Backward(loss.Backward()).Span().CopyTo(destination);
        foreach (var p in network.Parameters) p.ZeroGradient();
        return output;
    }

    // x[i] += scale · sign(g[i]); a NaN gradient moves nothing (T.Sign would throw), the loss reports it.
    private static void Perturb<T>(Span<T> x, ReadOnlySpan<T> gradient, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            T g = gradient[i];
            if (g > T.Zero) x[i] += scale;
            else if (g < T.Zero) x[i] -= scale;
        }
    }

    // Keep x within ε of the clean input and inside [min, max].
    private static void Clip<T>(Span<T> x, ReadOnlySpan<T> clean, T epsilon, T min, T max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
            x[i] = T.Clamp(T.Clamp(x[i], clean[i] - epsilon, clean[i] + epsilon), min, max);
    }

    private static void CheckBudget(double epsilon, double min, double max)
    {
        if (!(epsilon >= 0) || !double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), string.Create(CultureInfo.InvariantCulture, $"ε must be non-negative and finite, but was {epsilon}."));
        if (!(min < max)) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The valid input range [{min}, {max}] is empty."), nameof(min));
    }
}
