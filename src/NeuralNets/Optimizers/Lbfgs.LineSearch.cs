using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

// The strong-Wolfe line search of Nocedal & Wright, Algorithms 3.5 (bracket) and 3.6 (zoom), along _d from _x.
public sealed partial class Lbfgs<T>
{
    private const double SufficientDecrease = 1e-4;   // c₁
    private const double Curvature = 0.9;             // c₂
    private const int MaxLineSearchEvaluations = 25;

    /// <summary>
    /// Finds t with φ(t) ≤ φ(0) + c₁·t·φ'(0) and |φ'(t)| ≤ c₂·|φ'(0)|, where φ(t) = J(x + t·d). Returns 0 when no
    /// point lower than the start was found; otherwise the best t it reached within its budget.
    /// </summary>
    private double LineSearch(double loss0, double slope0, double t, out double loss, out double[] gradient)
    {
        // Each search has its own budget, as PyTorch's has (max_ls): MaxEvaluations is checked between iterations, so a
        // step allowed a single evaluation (maxIterations 1 gives that by default) still searches once instead of never moving.
        int budget = MaxLineSearchEvaluations;
        _g.CopyTo(_gPrevious, 0);
        double tPrevious = 0, lossPrevious = loss0, slopePrevious = slope0;

        for (int i = 0; budget > 0; i++)
        {
            double lossT = Trial(t, _gTrial, out double slopeT);
            budget--;

            if (lossT > loss0 + SufficientDecrease * t * slope0 || (i > 0 && lossT >= lossPrevious))
                return Zoom(loss0, slope0, tPrevious, lossPrevious, slopePrevious, ref _gPrevious, t, lossT, slopeT, budget, out loss, out gradient);
            if (Math.Abs(slopeT) <= -Curvature * slope0)
            {
                (loss, gradient) = (lossT, _gTrial);
                return t;
            }
            if (slopeT >= 0)
            {
                (_gPrevious, _gTrial) = (_gTrial, _gPrevious);
                return Zoom(loss0, slope0, t, lossT, slopeT, ref _gPrevious, tPrevious, lossPrevious, slopePrevious, budget, out loss, out gradient);
            }

            // Still going down steeply: extrapolate, at least 1% further and at most ten times as far; where the cubic has
            // no minimiser, halfway between those bounds (as PyTorch's search does, rather than the far bound).
            double next = Cubic(tPrevious, lossPrevious, slopePrevious, t, lossT, slopeT);
            double low = t + 0.01 * (t - tPrevious), high = 10 * t;
            next = double.IsFinite(next) ? Math.Clamp(next, low, high) : 0.5 * (low + high);
            (tPrevious, lossPrevious, slopePrevious) = (t, lossT, slopeT);
            (_gPrevious, _gTrial) = (_gTrial, _gPrevious);
            t = next;
        }

        // Budget spent while still descending: the last point met the sufficient-decrease condition.
        (loss, gradient) = (lossPrevious, _gPrevious);
        return tPrevious;
    }

    /// <summary>
    /// Narrows [low, high] (low: the lowest point so far that meets sufficient decrease, its gradient in
    /// <paramref name="gradientLow"/>) until a point meets both conditions or the budget or interval is spent.
    /// </summary>
    private double Zoom(
        double loss0, double slope0, double tLow, double lossLow, double slopeLow, ref double[] gradientLow,
        double tHigh, double lossHigh, double slopeHigh, int budget, out double loss, out double[] gradient)
    {
        double dMax = MaxAbs(_d);
        while (budget > 0 && Math.Abs(tHigh - tLow) * dMax >= ChangeTolerance)
        {
            // Cubic interpolation kept 10% inside the interval; bisection where it is undefined (e.g. an infinite loss).
            double lo = Math.Min(tLow, tHigh), hi = Math.Max(tLow, tHigh), margin = 0.1 * (hi - lo);
            double t = Cubic(tLow, lossLow, slopeLow, tHigh, lossHigh, slopeHigh);
            t = double.IsFinite(t) ? Math.Clamp(t, lo + margin, hi - margin) : 0.5 * (lo + hi);

            double lossT = Trial(t, _gTrial, out double slopeT);
            budget--;
            if (lossT > loss0 + SufficientDecrease * t * slope0 || lossT >= lossLow)
            {
                (tHigh, lossHigh, slopeHigh) = (t, lossT, slopeT);
                continue;
            }
            if (Math.Abs(slopeT) <= -Curvature * slope0)
            {
                (loss, gradient) = (lossT, _gTrial);
                return t;
            }
            if (slopeT * (tHigh - tLow) >= 0) (tHigh, lossHigh, slopeHigh) = (tLow, lossLow, slopeLow);
            (tLow, lossLow, slopeLow) = (t, lossT, slopeT);
            (gradientLow, _gTrial) = (_gTrial, gradientLow);
        }
        (loss, gradient) = (lossLow, gradientLow);
        return tLow;
    }

    /// <summary>J and its slope along d at x + t·d; the gradient goes to <paramref name="gradient"/>.</summary>
    private double Trial(double t, double[] gradient, out double slope)
    {
        Elementwise.MultiplyAdd<double>(_d, t, _x, _xTrial);
        double loss = EvaluateAt(_xTrial, gradient);
        slope = FixedSum.Dot<double>(gradient, _d);
        return loss;
    }

    /// <summary>The minimiser of the cubic through (a, fa, ga) and (b, fb, gb) (Nocedal &amp; Wright eq. 3.59); NaN when it has none.</summary>
    private static double Cubic(double a, double fa, double ga, double b, double fb, double gb)
    {
        double d1 = ga + gb - 3 * (fa - fb) / (a - b);
        double square = d1 * d1 - ga * gb;
        if (!(square >= 0)) return double.NaN;
        double d2 = Math.CopySign(Math.Sqrt(square), b - a);
        return b - (b - a) * (gb + d2 - d1) / (gb - ga + 2 * d2);
    }
}
