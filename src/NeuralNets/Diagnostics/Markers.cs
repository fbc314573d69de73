namespace NeuralNets.Diagnostics;

/// <summary>Point markers for plots: a filled disc (training points) and a cross (test points), each outlined so it shows on any background.</summary>
internal static class Markers
{
    public const int Radius = 3;

    /// <summary>A disc of radius <see cref="Radius"/> in <paramref name="fill"/> with a one-pixel ring of <paramref name="outline"/>.</summary>
    public static void Disc(Picture picture, int cx, int cy, Rgb fill, Rgb outline)
    {
        for (int dy = -Radius - 1; dy <= Radius + 1; dy++)
            for (int dx = -Radius - 1; dx <= Radius + 1; dx++)
            {
                int d2 = dx * dx + dy * dy;
                if (d2 <= Radius * Radius + 1) picture.Set(cx + dx, cy + dy, fill);
                else if (d2 <= (Radius + 1) * (Radius + 1) + 1) picture.Set(cx + dx, cy + dy, outline);
            }
    }

    /// <summary>An × of two-pixel-wide diagonals reaching <see cref="Radius"/> + 1 from the centre, in <paramref name="ink"/>, edged with <paramref name="outline"/>.</summary>
    public static void Cross(Picture picture, int cx, int cy, Rgb ink, Rgb outline)
    {
        int reach = Radius + 1;
        // The outline first: the same diagonals one pixel wider on each side, then the ink over them.
        for (int t = -reach; t <= reach; t++)
            foreach (int w in (int[])[-1, 2])
            {
                picture.Set(cx + t + w, cy + t, outline);
                picture.Set(cx + t + w, cy - t, outline);
            }
        for (int t = -reach; t <= reach; t++)
            for (int w = 0; w <= 1; w++)
            {
                picture.Set(cx + t + w, cy + t, ink);
                picture.Set(cx + t + w, cy - t, ink);
            }
    }
}
