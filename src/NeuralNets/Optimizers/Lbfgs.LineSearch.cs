using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

// The strong-Wolfe line search of Nocedal & Wright, Algorithms 3.5 (bracket) and 3.6 (zoom), along _d from _x, with
// PyTorch's rules: up to 25 trials after the first, a bracket ordered by loss, and 10 % kept from a bracket's ends when
// the interpolation makes too little progress.
public sealed partial class Lbfgs<T>
{
    private const double SufficientDecrease = 1e-4;   // c₁
    private const double Curvature = 0.9;             // c₂
    private const int MaxSearchTrials = 25;           // after the first trial (PyTorch's max_ls)

    // The zoom stops once |bracket|·‖d‖∞ is under this: _strong_wolfe's own tolerance_change, which PyTorch's step()
    // leaves at its default whatever the optimizer's tolerance_change (ChangeTolerance) is.
    private const double BracketTolerance = 1e-9;

    // The bracket's two ends by position (PyTorch's bracket[0] and bracket[1]; a tie in loss makes position 0 the low end).
    private readonly double[] _endT = new double[2], _endLoss = new double[2], _endSlope = new double[2];
    private readonly double[][] _endGradient = new double[2][];

    /// <summary>
    /// Finds t with φ(t) ≤ φ(0) + c₁·t·φ'(0) and |φ'(t)| ≤ c₂·|φ'(0)|, where φ(t) = J(x + t·d), starting from
    /// <paramref name="t"/>. Returns the lowest end of its last bracket when its budget or bracket runs out (0 when no
    /// point was lower than the start), with that point's loss and gradient.
    /// </summary>
    private double SearchAlong(double loss0, double slope0, double t, out double loss, out double[] gradient)
    {
        double tPrevious = 0, lossPrevious = loss0, slopePrevious = slope0;
        _g.CopyTo(_gPrevious, 0);
        double lossT = Trial(t, _gTrial, out double slopeT);
        int trials = 0;
        while (true)
        {
            if (trials == MaxSearchTrials)
            {
                // Still descending when the budget ran out: the lower of the start and the last trial.
                if (loss0 <= lossT) (loss, gradient, t) = (loss0, _g, 0);
                else (loss, gradient) = (lossT, _gTrial);
                return t;
            }
            // PyTorch compares with the previous trial only from the third trial on.
            if (lossT > loss0 + SufficientDecrease * t * slope0 || (trials > 1 && lossT >= lossPrevious)) break;
            if (Math.Abs(slopeT) <= -Curvature * slope0)
            {
                (loss, gradient) = (lossT, _gTrial);
                return t;
            }
            if (slopeT >= 0) break;

            // Still going down steeply: extrapolate, at least 1 % further and at most ten times as far.
            double next = Cubic(tPrevious, lossPrevious, slopePrevious, t, lossT, slopeT, t + 0.01 * (t - tPrevious), 10 * t);
            (tPrevious, lossPrevious, slopePrevious) = (t, lossT, slopeT);
            (_gPrevious, _gTrial) = (_gTrial, _gPrevious);
            t = next;
            lossT = Trial(t, _gTrial, out slopeT);
            trials++;
        }

        (_endT[0], _endLoss[0], _endSlope[0], _endGradient[0]) = (tPrevious, lossPrevious, slopePrevious, _gPrevious);
        (_endT[1], _endLoss[1], _endSlope[1], _endGradient[1]) = (t, lossT, slopeT, _gTrial);
        // The zoom only permutes the three buffers among the bracket's ends and its trial, so the fields still hold three
        // distinct arrays afterwards, one of them the gradient returned (which the caller copies before searching again).
        int low = Zoom(loss0, slope0, trials, _gSpare);
        (loss, gradient) = (_endLoss[low], _endGradient[low]);
        return _endT[low];
    }

    /// <summary>Narrows the bracket held in the _end arrays until a trial meets both conditions or the budget or bracket is spent; returns the low end's position.</summary>
    private int Zoom(double loss0, double slope0, int trials, double[] trialGradient)
    {
        double dMax = MaxAbs(_d);
        int low = _endLoss[0] <= _endLoss[1] ? 0 : 1;
        bool tooLittleProgress = false;
        for (; trials < MaxSearchTrials; trials++)
        {
            if (Math.Abs(_endT[1] - _endT[0]) * dMax < BracketTolerance) break;
            double lo = Math.Min(_endT[0], _endT[1]), hi = Math.Max(_endT[0], _endT[1]), margin = 0.1 * (hi - lo);
            double t = Cubic(_endT[0], _endLoss[0], _endSlope[0], _endT[1], _endLoss[1], _endSlope[1], lo, hi);
            if (Math.Min(hi - t, t - lo) < margin)
            {
                // Close to an end: accept that once, but the second time running (or at an end) step 10 % inside.
                if (tooLittleProgress || t >= hi || t <= lo)
                {
                    t = Math.Abs(t - hi) < Math.Abs(t - lo) ? hi - margin : lo + margin;
                    tooLittleProgress = false;
                }
                else tooLittleProgress = true;
            }
            else tooLittleProgress = false;

            double lossT = Trial(t, trialGradient, out double slopeT);
            int high = 1 - low;
            if (lossT > loss0 + SufficientDecrease * t * slope0 || lossT >= _endLoss[low])
            {
                (_endT[high], _endLoss[high], _endSlope[high]) = (t, lossT, slopeT);
                (_endGradient[high], trialGradient) = (trialGradient, _endGradient[high]);
                low = _endLoss[0] <= _endLoss[1] ? 0 : 1;
                continue;
            }
            bool wolfe = Math.Abs(slopeT) <= -Curvature * slope0;
            if (!wolfe && slopeT * (_endT[high] - _endT[low]) >= 0)
            {
                // The slope says the minimum lies on the other side of the new point: the old low end becomes the high one.
                (_endT[high], _endLoss[high], _endSlope[high]) = (_endT[low], _endLoss[low], _endSlope[low]);
                (_endGradient[high], _endGradient[low]) = (_endGradient[low], _endGradient[high]);
            }
            (_endT[low], _endLoss[low], _endSlope[low]) = (t, lossT, slopeT);
            (_endGradient[low], trialGradient) = (trialGradient, _endGradient[low]);
            if (wolfe) break;
        }
        return low;
    }

    /// <summary>J and its slope along d at x + t·d; the gradient goes to <paramref name="gradient"/>.</summary>
    private double Trial(double t, double[] gradient, out double slope)
    {
        Elementwise.MultiplyAdd<double>(_d, t, _x, _xTrial);
        double loss = EvaluateAt(_xTrial, gradient);
        slope = FixedSum.Dot<double>(gradient, _d);
        return loss;
    }

    /// <summary>
    /// The minimiser of the cubic through (a, fa, ga) and (b, fb, gb) (Nocedal &amp; Wright eq. 3.59), clamped to
    /// [<paramref name="lowest"/>, <paramref name="highest"/>]; their midpoint where the cubic has no minimiser or it
    /// is not a number.
    /// </summary>
    private static double Cubic(double a, double fa, double ga, double b, double fb, double gb, double lowest, double highest)
    {
        double d1 = ga + gb - 3 * (fa - fb) / (a - b);
        double square = d1 * d1 - ga * gb;
        if (square >= 0)
        {
            // Written from the larger abscissa, as PyTorch writes it, so that the rounding is the same whichever comes first.
            double d2 = Math.Sqrt(square);
            double minimiser = a <= b
                ? b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2))
                : a - (a - b) * ((ga + d2 - d1) / (ga - gb + 2 * d2));
            // An infinite minimiser (a straight line: no curvature) clamps to a bound, as in PyTorch; NaN (from an
            // infinite loss) takes the midpoint instead of PyTorch's NaN step.
            if (!double.IsNaN(minimiser)) return Math.Min(Math.Max(minimiser, lowest), highest);
        }
        return (lowest + highest) / 2;
    }
}
