using System.Numerics;

namespace NeuralNets.Layers;

/// <summary>
/// Each thread's plane of scratch, for a pool that applies the activation before it one plane at a time
/// (<see cref="MaxPool2D{T}.ForwardActivated"/>, <see cref="AvgPool2D{T}.ForwardActivated"/>): grown on the thread that uses
/// it, which alone ever touches it.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class PlaneScratch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static T[]? t_plane;

    /// <summary>The plane to pool: <paramref name="plane"/> itself, or with an activation, its activation in this thread's scratch.</summary>
    public static ReadOnlySpan<T> Activated(ReadOnlySpan<T> plane, Activation<T>? activation)
    {
        if (activation is null) return plane;
        var activated = Get(plane.Length);
        activation.ActivateElements(plane, activated);
        return activated;
    }

    /// <summary>This thread's scratch, <paramref name="length"/> elements.</summary>
    public static Span<T> Get(int length)
    {
        if (t_plane is null || t_plane.Length < length) t_plane = new T[length];
        return t_plane.AsSpan(0, length);
    }
}
