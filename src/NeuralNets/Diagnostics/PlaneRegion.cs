using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>A rectangle of the plane, [XMin, XMax] × [YMin, YMax], over which a decision boundary is drawn.</summary>
/// <param name="XMin">Left edge.</param>
/// <param name="XMax">Right edge, greater than <paramref name="XMin"/>.</param>
/// <param name="YMin">Bottom edge.</param>
/// <param name="YMax">Top edge, greater than <paramref name="YMin"/>.</param>
public readonly record struct PlaneRegion(double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>Throws unless both sides are finite and of positive length.</summary>
    public void Validate()
    {
        if (!(double.IsFinite(XMin) && double.IsFinite(XMax) && XMax > XMin))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The region's x range [{XMin}, {XMax}] must be finite with XMax > XMin."));
        if (!(double.IsFinite(YMin) && double.IsFinite(YMax) && YMax > YMin))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The region's y range [{YMin}, {YMax}] must be finite with YMax > YMin."));
    }

    /// <summary>The smallest rectangle holding every point of the sets, widened by <paramref name="margin"/> of its size on each side.</summary>
    /// <param name="margin">The fraction of the width (height) added left and right (above and below).</param>
    /// <param name="sets">Two-feature sets; null entries are skipped.</param>
    /// <typeparam name="T">The element type.</typeparam>
    public static PlaneRegion Around<T>(double margin, params Dataset<T>?[] sets) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (!(margin >= 0) || !double.IsFinite(margin)) throw new ArgumentOutOfRangeException(nameof(margin), string.Create(CultureInfo.InvariantCulture, $"The margin must be non-negative and finite, but was {margin}."));
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (var set in sets)
        {
            if (set is null) continue;
            if (set.SampleSize != 2)
                throw new ArgumentException($"A plane region is taken around points with 2 features, but a set has samples of shape {TensorMemory.ShapeText(set.SampleShape)}.", nameof(sets));
            ReadOnlySpan<T> features = set.Features.Span();
            for (int i = 0; i < features.Length; i += 2)
            {
                double x = double.CreateChecked(features[i]), y = double.CreateChecked(features[i + 1]);
                (xMin, xMax, yMin, yMax) = (Math.Min(xMin, x), Math.Max(xMax, x), Math.Min(yMin, y), Math.Max(yMax, y));
            }
        }
        if (xMin > xMax) throw new ArgumentException("A plane region needs at least one set with points.", nameof(sets));
        // A single point or a line of points still gets an area.
        double dx = Math.Max(xMax - xMin, 1e-9), dy = Math.Max(yMax - yMin, 1e-9);
        return new PlaneRegion(xMin - margin * dx, xMax + margin * dx, yMin - margin * dy, yMax + margin * dy);
    }

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
