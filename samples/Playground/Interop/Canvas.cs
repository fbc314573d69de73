using System.Runtime.InteropServices.JavaScript;

namespace Playground.Interop;

/// <summary>
/// The few calls into wwwroot/js/playground.js. Pixels cross as a memory view (no copy, no base64),
/// which is what keeps a redraw of every thumbnail cheap enough for 20+ frames a second.
/// </summary>
internal static partial class Canvas
{
    /// <summary>The name the module is imported under.</summary>
    public const string Module = "playground";

    /// <summary>Draws a size×size RGBA image over the whole canvas <paramref name="id"/>, smoothly scaled up.</summary>
    [JSImport("paint", Module)]
    public static partial void Paint(string id, [JSMarshalAs<JSType.MemoryView>] Span<byte> rgba, int size);

    /// <summary>Keeps the points to draw over canvas <paramref name="id"/>: coordinates in [−1, 1] (y up), colour values in [−1, 1].</summary>
    [JSImport("setPoints", Module)]
    public static partial void SetPoints(string id, double[] x, double[] y, double[] value, int trainCount);

    /// <summary>Draws the kept points over canvas <paramref name="id"/>, the test points too when <paramref name="showTest"/>.</summary>
    [JSImport("drawPoints", Module)]
    public static partial void DrawPoints(string id, bool showTest);

    /// <summary>Completes at the browser's next animation frame.</summary>
    [JSImport("nextFrame", Module)]
    public static partial Task NextFrame();

    /// <summary>Replaces the page's query string without reloading or adding a history entry.</summary>
    [JSImport("replaceQuery", Module)]
    public static partial void ReplaceQuery(string query);
}
