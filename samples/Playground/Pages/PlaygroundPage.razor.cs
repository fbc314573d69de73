using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Playground.Engine;
using Playground.Interop;

namespace Playground.Pages;

/// <summary>
/// The page: controls left and top, the network in the middle, the output right. Training runs in slices between
/// animation frames, so input and drawing never wait for an epoch; a slice gets what the drawing leaves of
/// <see cref="FrameMilliseconds"/>.
/// </summary>
public partial class PlaygroundPage : ComponentBase, IDisposable
{
    /// <summary>
    /// Work per frame, training and drawing together. Frames come at the display's 60 Hz, so work that ends within
    /// 33 ms shows every second frame (30 redraws a second); 20 ms leaves the browser its own part of that (styles,
    /// SVG, compositing: 8–10 ms measured in headless Chromium), and a slow frame slips to every third (20 a second).
    /// </summary>
    private const double FrameMilliseconds = 20;

    /// <summary>The least training per frame, however slow the drawing.</summary>
    private const double MinimumSliceMilliseconds = 4;

    private readonly FrameRate _rate = new();
    private readonly LossText _lossText = new();
    private byte[] _pixels = [];
    private PlaygroundConfig _config = new();
    private TrainingSession _session = null!;
    private PlaneView _view = null!;
    private DiagramLayout _layout = null!;
    private bool _playing, _showTest, _pointsChanged, _disposed;
    private int _generation, _controlsVersion;
    private double _paintMilliseconds, _slice, _drawing;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    /// <inheritdoc/>
    protected override void OnInitialized()
    {
        _config = ConfigUrl.Decode(new Uri(Navigation.Uri).Query);
        Reset();
    }

    /// <inheritdoc/>
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) Canvas.ReplaceQuery(ConfigUrl.Encode(_config));
        long start = Stopwatch.GetTimestamp();
        PaintAll();
        _paintMilliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        _rate.Frame();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        GC.SuppressFinalize(this);
    }

    private void Reset()
    {
        _session = new TrainingSession(_config);
        _view = new PlaneView(_session);
        _view.Update();
        _layout = new DiagramLayout(_config);
        _pixels = new byte[_view.OutputResolution * _view.OutputResolution * 4];
        _pointsChanged = true;
        _controlsVersion++;
        _rate.Restart(_session.Epoch);
    }

    private void Apply(PlaygroundConfig next)
    {
        if (next == _config) return;
        _config = next;
        Canvas.ReplaceQuery(ConfigUrl.Encode(next));
        Reset();
    }

    private async Task TogglePlay()
    {
        if (_playing)
        {
            _playing = false;
            return;
        }
        _playing = true;
        int generation = ++_generation;
        _rate.Restart(_session.Epoch);
        while (_playing && !_disposed && generation == _generation && _session.Failure is null)
        {
            long start = Stopwatch.GetTimestamp();
            _slice = Math.Clamp(FrameMilliseconds - _drawing, MinimumSliceMilliseconds, FrameMilliseconds);
            _session.RunFor(_slice);
            _rate.Trained(Stopwatch.GetElapsedTime(start).TotalMilliseconds, _session.Epoch);
            long drawing = Stopwatch.GetTimestamp();
            _view.Update();
            double grid = Stopwatch.GetElapsedTime(drawing).TotalMilliseconds;
            StateHasChanged();   // renders now, and OnAfterRender paints the canvases (_paintMilliseconds)
            _drawing = Stopwatch.GetElapsedTime(drawing).TotalMilliseconds;
            _rate.Spent(_slice, grid, _drawing - grid - _paintMilliseconds, _paintMilliseconds);
            await Canvas.NextFrame();
        }
        if (generation == _generation) _playing = false;
        StateHasChanged();
    }

    private void StepOnce()
    {
        _playing = false;
        _session.RunEpoch();
        _view.Update();
    }

    private void PaintAll()
    {
        int size = _view.OutputResolution, cells = size * size;
        if (_pointsChanged)
        {
            var d = _session.Data;
            double[] x = new double[d.Count], y = new double[d.Count], value = new double[d.Count];
            for (int i = 0; i < d.Count; i++)
            {
                (x[i], y[i]) = (d.X1[i] / PlaneData.Extent, d.X2[i] / PlaneData.Extent);
                value[i] = _config.IsRegression ? d.Target[i] : d.Target[i] * 2 - 1;
            }
            Canvas.SetPoints("output", x, y, value, d.TrainCount);
            _pointsChanged = false;
        }
        ColorScale.Fill(_view.Output, 0, 1, cells, 1f, _pixels);
        Canvas.Paint("output", _pixels, size);
        Canvas.DrawPoints("output", _showTest);
        Canvas.Paint("node-out", _pixels, size);
        for (int f = 0; f < _view.FeatureMaps.Count; f++)
            PaintNode($"node-0-{f}", _view.FeatureMaps[f], 0, 1);
        for (int layer = 0; layer < _config.HiddenLayers.Count; layer++)
        {
            int neurons = _config.HiddenLayers[layer];
            for (int n = 0; n < neurons; n++) PaintNode($"node-{layer + 1}-{n}", _view.Hidden(layer), n, neurons);
        }
    }

    // Each thumbnail on its own scale: it shows the shape a neuron has learnt, whatever its range (ReLU's is unbounded).
    private void PaintNode(string id, ReadOnlySpan<float> values, int offset, int stride)
    {
        int size = _view.ThumbnailResolution, cells = size * size;
        float scale = ColorScale.MaxAbs(values, offset, stride, cells, 1e-6f);
        ColorScale.Fill(values, offset, stride, cells, scale, _pixels);
        Canvas.Paint(id, _pixels.AsSpan(0, cells * 4), size);
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static double Real(ChangeEventArgs e, double fallback) =>
        double.TryParse(e.Value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : fallback;

    private static int Integer(ChangeEventArgs e, int fallback) =>
        int.TryParse(e.Value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : fallback;

    private static TEnum Choice<TEnum>(ChangeEventArgs e, TEnum fallback) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(e.Value?.ToString(), ignoreCase: true, out var v) ? v : fallback;

    private void ToggleFeature(Features feature)
    {
        var next = _config.Features ^ feature;
        if (next != Features.None) Apply(_config with { Features = next });
    }

    private void ChangeLayers(int delta)
    {
        var layers = _config.HiddenLayers.ToList();
        if (delta > 0 && layers.Count < ConfigUrl.MaxLayers) layers.Add(layers.Count > 0 ? layers[^1] : 4);
        else if (delta < 0 && layers.Count > 0) layers.RemoveAt(layers.Count - 1);
        Apply(_config with { HiddenLayers = layers });
    }

    private void ChangeNeurons(int layer, int delta)
    {
        var layers = _config.HiddenLayers.ToArray();
        layers[layer] = Math.Clamp(layers[layer] + delta, 1, ConfigUrl.MaxNeurons);
        Apply(_config with { HiddenLayers = layers });
    }
}
