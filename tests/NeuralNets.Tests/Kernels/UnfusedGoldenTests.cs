using NeuralNets.Kernels;
using NeuralNets.Tests.Golden;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The layer golden values against libtorch (<see cref="LayerGoldenTests"/>, 1e-10 in double) hold in the unfused
/// family too: the same tests, with the unfused family forced (on a CPU without FMA they already run in it).
/// </summary>
[Collection(NarrowedWidth.Name)]
public class UnfusedGoldenTests
{
    public static TheoryData<string> GoldenTests() => new(typeof(LayerGoldenTests).GetMethods()
        .Where(m => m.GetCustomAttributes(typeof(FactAttribute), inherit: false).Length > 0)
        .Select(m => m.Name));

    [Theory]
    [MemberData(nameof(GoldenTests))]
    public void LayerGoldenTest_UnfusedFamily_StillMatchesTorch(string test)
    {
        var method = typeof(LayerGoldenTests).GetMethod(test)!;
        using var family = KernelWidth.ForceUnfused();
        KernelWidth.FusedFamily.Should().BeFalse();
        try
        {
            method.Invoke(new LayerGoldenTests(), null);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }

    [Fact]
    public void GoldenTests_AreFound() => GoldenTests().Count.Should().BeGreaterThanOrEqualTo(6);
}
