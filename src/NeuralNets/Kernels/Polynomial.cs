namespace NeuralNets.Kernels;

/// <summary>The fixed series of the library's own double functions (tanh, eˣ − 1, ln(1 + y), cos πx, sin πx), evaluated one way.</summary>
internal static class Polynomial
{
    /// <summary>
    /// c₀ + c₁z + … + cₙzⁿ by Horner's rule from the last coefficient, with plain multiplies and adds: never fused (the
    /// JIT does not contract them), so the same bits on every CPU.
    /// </summary>
    public static double Evaluate(ReadOnlySpan<double> coefficients, double z)
    {
        double sum = coefficients[^1];
        for (int i = coefficients.Length - 2; i >= 0; i--) sum = sum * z + coefficients[i];
        return sum;
    }
}
