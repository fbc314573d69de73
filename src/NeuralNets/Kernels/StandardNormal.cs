namespace NeuralNets.Kernels;

/// <summary>
/// Standard normal draws from a <see cref="Random"/> for the normal weight initialisations and the synthetic datasets'
/// noise: Box–Muller with the library's own logarithm and cos 2πu, so that a seed gives the same draws under every C
/// runtime (MathNet's sampler calls <c>Math.Log</c> and friends, which come from the platform's C library).
/// </summary>
internal static class StandardNormal
{
    /// <summary>One draw: two uniforms, the cosine half of the Box–Muller pair (the stream is simple to follow).</summary>
    public static double Draw(Random random)
    {
        double u1 = 1.0 - random.NextDouble();   // in (0, 1]: the logarithm stays finite
        return FromUniforms(u1, random.NextDouble());
    }

    /// <summary>√(−2 ln u₁)·cos 2πu₂ for u₁ in (0, 1] and u₂ in [0, 1): the draw of any uniform source.</summary>
    public static double FromUniforms(double u1, double u2) => Math.Sqrt(-2.0 * Logarithm.Of(u1)) * CosinePi.Of(2.0 * u2);
}
