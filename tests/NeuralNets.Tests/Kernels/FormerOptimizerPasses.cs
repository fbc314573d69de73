using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The optimizers' updates as they were written before the one-pass kernels (Kernels/*Step.cs): one elementwise pass
/// per operation, TensorPrimitives' and the L2 term's (<c>ElementRange.GradientWithL2</c>). The kernels must give
/// their bits. Arrays are updated in place; coefficients come rounded to <typeparamref name="T"/> as the optimizers rounded them.
/// </summary>
internal static class FormerOptimizerPasses<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>g when λ = 0, otherwise g + λ·w in a new array, as <c>ElementRange.GradientWithL2</c> computed it.</summary>
    public static T[] WithL2(T[] w, T[] g, T lambda)
    {
        if (lambda == T.Zero) return g;
        var decayed = new T[g.Length];
        Elementwise.MultiplyAdd<T>(w, lambda, g, decayed);
        return decayed;
    }

    public static void Sgd(T[] w, T[] g0, T lambda, T eta)
    {
        var g = WithL2(w, g0, lambda);
        Elementwise.MultiplyAdd<T>(g, -eta, w, w);
    }

    public static void Momentum(T[] w, T[] g0, T[] v, T lambda, T gamma, T gradientScale)
    {
        var g = WithL2(w, g0, lambda);
        TensorPrimitives.Multiply(v, gamma, v);
        TensorPrimitives.MultiplyAdd(g, gradientScale, v, v);
        TensorPrimitives.Subtract(w, v, w);
    }

    public static void NesterovLookAhead(T[] w, T[] saved, T[] v, T gamma)
    {
        w.CopyTo(saved, 0);
        TensorPrimitives.MultiplyAdd(v, -gamma, w, w);
    }

    public static void NesterovUpdate(T[] w, T[] saved, T[] g0, T[] v, T lambda, T gamma, T eta)
    {
        var g = WithL2(w, g0, lambda);
        TensorPrimitives.Multiply(v, gamma, v);
        TensorPrimitives.MultiplyAdd(g, eta, v, v);
        saved.CopyTo(w, 0);
        TensorPrimitives.Subtract(w, v, w);
    }

    public static void Adagrad(T[] w, T[] g0, T[] sum, T lambda, T epsilon, bool insideRoot, T rate)
    {
        var g = WithL2(w, g0, lambda);
        var denominator = new T[w.Length];
        TensorPrimitives.MultiplyAdd(g, g, sum, sum);
        if (insideRoot)
        {
            TensorPrimitives.Add(sum, epsilon, denominator);
            TensorPrimitives.Sqrt(denominator, denominator);
        }
        else
        {
            TensorPrimitives.Sqrt(sum, denominator);
            TensorPrimitives.Add(denominator, epsilon, denominator);
        }
        TensorPrimitives.Divide(g, denominator, denominator);
        TensorPrimitives.MultiplyAdd(denominator, -rate, w, w);
    }

    /// <summary>RMSprop; <paramref name="mean"/> null unless centered, <paramref name="b"/> null without momentum.</summary>
    public static void RmsProp(T[] w, T[] g0, T[] v, T[]? mean, T[]? b, T lambda, T alpha, T epsilon, T momentum, T eta)
    {
        T keep = T.One - alpha;
        var g = WithL2(w, g0, lambda);
        var d = new T[w.Length];
        TensorPrimitives.Multiply(v, alpha, v);
        TensorPrimitives.Multiply(g, g, d);
        TensorPrimitives.MultiplyAdd(d, keep, v, v);
        if (mean is not null)
        {
            TensorPrimitives.Multiply(mean, alpha, mean);
            TensorPrimitives.MultiplyAdd(g, keep, mean, mean);
            TensorPrimitives.Multiply(mean, mean, d);
            TensorPrimitives.Subtract(v, d, d);
            TensorPrimitives.Sqrt(d, d);
        }
        else
        {
            TensorPrimitives.Sqrt(v, d);
        }
        TensorPrimitives.Add(d, epsilon, d);
        TensorPrimitives.Divide(g, d, d);
        if (b is not null)
        {
            TensorPrimitives.MultiplyAdd(b, momentum, d, b);
            TensorPrimitives.MultiplyAdd(b, -eta, w, w);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(d, -eta, w, w);
        }
    }

    public static void Adadelta(T[] w, T[] g0, T[] squareAverage, T[] accumulatedDelta, T lambda, T rho, T epsilon, T eta)
    {
        T keep = T.One - rho;
        var g = WithL2(w, g0, lambda);
        T[] scratch = new T[w.Length], delta = new T[w.Length];
        TensorPrimitives.Multiply(squareAverage, rho, squareAverage);
        TensorPrimitives.Multiply(g, g, scratch);
        TensorPrimitives.MultiplyAdd(scratch, keep, squareAverage, squareAverage);
        TensorPrimitives.Add(squareAverage, epsilon, scratch);
        TensorPrimitives.Sqrt(scratch, scratch);
        TensorPrimitives.Add(accumulatedDelta, epsilon, delta);
        TensorPrimitives.Sqrt(delta, delta);
        TensorPrimitives.Divide(delta, scratch, delta);
        TensorPrimitives.Multiply(delta, g, delta);
        TensorPrimitives.Multiply(accumulatedDelta, rho, accumulatedDelta);
        TensorPrimitives.Multiply(delta, delta, scratch);
        TensorPrimitives.MultiplyAdd(scratch, keep, accumulatedDelta, accumulatedDelta);
        TensorPrimitives.MultiplyAdd(delta, -eta, w, w);
    }

    /// <summary>NAdam; <paramref name="decayFactor"/> (1 − ηλ) is applied when given, otherwise the L2 term with <paramref name="lambda"/>.</summary>
    public static void Nadam(T[] w, T[] g0, T[] m, T[] v, T lambda, T? decayFactor, T beta1, T beta2, T secondCorrection, T epsilon, T gradientStep, T momentumStep)
    {
        T[] g;
        if (decayFactor is { } factor)
        {
            TensorPrimitives.Multiply(w, factor, w);
            g = g0;
        }
        else g = WithL2(w, g0, lambda);
        T[] d = new T[w.Length], scratch = new T[w.Length];
        TensorPrimitives.Subtract(g, m, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.One - beta1, m, m);
        TensorPrimitives.Multiply(v, beta2, v);
        TensorPrimitives.Multiply(g, g, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.One - beta2, v, v);
        TensorPrimitives.Divide(v, secondCorrection, d);
        TensorPrimitives.Sqrt(d, d);
        TensorPrimitives.Add(d, epsilon, d);
        TensorPrimitives.Divide(g, d, scratch);
        TensorPrimitives.MultiplyAdd(scratch, gradientStep, w, w);
        TensorPrimitives.Divide(m, d, scratch);
        TensorPrimitives.MultiplyAdd(scratch, momentumStep, w, w);
    }

    /// <summary>
    /// Adam; <paramref name="decayFactor"/> (AdamW's 1 − ηλ) is applied when given, otherwise the L2 term with
    /// <paramref name="lambda"/>; <paramref name="vMax"/> null without AMSGrad.
    /// </summary>
    public static void Adam(T[] w, T[] g0, T[] m, T[] v, T[]? vMax, T lambda, T? decayFactor, T b1, T b2, T inverseRootCorrection2, T epsilon, T stepSize)
    {
        T[] g;
        if (decayFactor is { } factor)
        {
            TensorPrimitives.Multiply(w, factor, w);
            g = g0;
        }
        else g = WithL2(w, g0, lambda);
        var scratch = new T[w.Length];
        TensorPrimitives.Multiply(m, b1, m);
        TensorPrimitives.MultiplyAdd(g, T.One - b1, m, m);
        TensorPrimitives.Multiply(v, b2, v);
        TensorPrimitives.Multiply(g, g, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.One - b2, v, v);
        var denominatorSource = v;
        if (vMax is not null)
        {
            TensorPrimitives.Max(vMax, v, vMax);
            denominatorSource = vMax;
        }
        TensorPrimitives.Sqrt(denominatorSource, scratch);
        TensorPrimitives.Multiply(scratch, inverseRootCorrection2, scratch);
        TensorPrimitives.Add(scratch, epsilon, scratch);
        TensorPrimitives.Divide(m, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -stepSize, w, w);
    }
}
