using System.Reflection;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Every library layer's and loss's passes are compiled fully optimised at their first call (<c>HotPath</c>): one left to
/// the runtime's tiers runs unoptimised through a fresh process's first steps and is then recompiled in the background,
/// on a core the training wants (benchmarks/README.md, "the thirty-sixth session").
/// </summary>
public class HotPathMarkTests
{
    private static readonly string[] Passes = ["Forward", "Backward", "BackwardToParameters"];

    [Fact]
    public void EveryLayersAndLossesPasses_CompiledFullyOptimisedAtTheirFirstCall()
    {
        var passes = typeof(ILayer<>).Assembly.GetTypes()
            .Where(type => !type.IsInterface && type.GetInterfaces().Any(IsLayerOrLoss))
            .SelectMany(type => type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            // Public passes, and those implemented explicitly (IParameterGradientOnly<T>.BackwardToParameters).
            .Where(method => !method.IsAbstract && (method.IsPublic ? Passes.Contains(method.Name) : method.Name.EndsWith(".BackwardToParameters", StringComparison.Ordinal)))
            // An inference copy's stand-in for a layer that cannot make one only refuses to train.
            .Where(method => !(method.DeclaringType!.IsGenericType && method.DeclaringType.GetGenericTypeDefinition() == typeof(TakingTurns<>) && method.Name == "Backward"))
            .ToArray();

        passes.Should().HaveCountGreaterThan(30, "the library's layers and losses all have passes");
        string.Join(", ", passes.Where(method => (method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) == 0)
            .Select(method => $"{method.DeclaringType!.Name}.{method.Name}"))
            .Should().BeEmpty("each pass is marked [MethodImpl(HotPath.Options)]");
    }

    private static bool IsLayerOrLoss(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ILayer<>) || type.GetGenericTypeDefinition() == typeof(ILoss<>));
}
