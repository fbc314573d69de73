using NeuralNets.Serialization;

namespace NeuralNets.Outside.Tests.Components;

/// <summary>Registers this project's layer kinds, as an application does once at start-up (safe to repeat).</summary>
public static class OutsideKinds
{
    public static void Register()
    {
        LayerRegistry.Register(new SwishKind());
        LayerRegistry.Register(new ScaleShiftKind());
    }
}
