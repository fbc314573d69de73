using System.Globalization;
using System.Text;

namespace Playground.Engine;

/// <summary>
/// The loss curves as text for the page: SVG polyline points and the test-loss history the browser test reads.
/// Both are rebuilt many times a second in WebAssembly's interpreter, so they stay short (integer coordinates,
/// at most <see cref="MaxPoints"/> points) and the history only appends.
/// </summary>
public sealed class LossText
{
    /// <summary>Most points drawn per curve, however long the run.</summary>
    public const int MaxPoints = 200;

    /// <summary>Epochs whose test loss the history keeps (the browser test needs the first few hundred).</summary>
    public const int HistoryEpochs = 1000;

    /// <summary>The SVG box the points fill: width × height.</summary>
    public const int Width = 600, Height = 200;

    private readonly StringBuilder _history = new(), _points = new();
    private int _historyCount;
    private string _historyText = "";
    private object? _run;

    /// <summary>Polyline points of <paramref name="losses"/> (one per epoch) with <paramref name="top"/> at the top edge.</summary>
    public string Points(IReadOnlyList<float> losses, float top)
    {
        ArgumentNullException.ThrowIfNull(losses);
        _points.Clear();
        int every = Math.Max(1, (losses.Count + MaxPoints - 1) / MaxPoints);
        for (int i = 0; i < losses.Count; i += every)
        {
            int x = losses.Count == 1 ? 0 : (int)((long)Width * i / (losses.Count - 1));
            int y = Height - (int)(Height * Math.Clamp(losses[i] / top, 0f, 1f));
            _points.Append(x.ToString(CultureInfo.InvariantCulture)).Append(',').Append(y.ToString(CultureInfo.InvariantCulture)).Append(' ');
        }
        return _points.ToString();
    }

    /// <summary>
    /// The first <see cref="HistoryEpochs"/> test losses of <paramref name="run"/>, five decimals, space-separated;
    /// only epochs new since the last call for the same run are formatted.
    /// </summary>
    public string History(object run, IReadOnlyList<float> testLoss)
    {
        ArgumentNullException.ThrowIfNull(testLoss);
        if (!ReferenceEquals(run, _run)) (_run, _historyCount, _history.Length, _historyText) = (run, 0, 0, "");
        int count = Math.Min(testLoss.Count, HistoryEpochs);
        if (count == _historyCount) return _historyText;
        for (; _historyCount < count; _historyCount++)
            _history.Append(_historyCount == 0 ? "" : " ").Append(testLoss[_historyCount].ToString("0.00000", CultureInfo.InvariantCulture));
        return _historyText = _history.ToString();
    }
}
