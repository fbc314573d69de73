using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The warm-up runs unasked, on shapes that may come from a file: a network that declares a huge input, or a layer whose
/// output is huge, must not make it allocate what the shapes claim (a 210-byte model file once made it allocate
/// gigabytes on its thread). Each network here has layer settings no other test uses, so that its warm-up is queued.
/// </summary>
[Collection(ProcessWideMeasurement.Name)]
public class WarmUpMemoryTests
{
    private const long Bound = 16L << 20;

    [Fact]
    public void AHugeDeclaredInput_IsNotRehearsedAtItsSize()
    {
        // 4096 × 4096 floats is 64 MB a tensor; rehearsed at that size the pool's passes allocated about 336 MB.
        AllocatedWhileBuildingAndWarming(() => new Sequential<float>([1, 4096, 4096], new MaxPool2D<float>((1, 2), (1, 1))))
            .Should().BeLessThan(Bound);
    }

    [Fact]
    public void AHugeOutputFromATinyInput_IsNotRehearsed()
    {
        // One pixel padded by 4000 on each side: an output of 8001 × 8001 values from an input of one.
        AllocatedWhileBuildingAndWarming(() => new Sequential<float>([1, 1, 1], new Conv2D<float>(1, 1, 1, seed: 0, padding: 4000)))
            .Should().BeLessThan(Bound);
    }

    [Fact]
    public void AHugeDeclaredInput_FromAModelFile_IsNotRehearsedAtItsSize()
    {
        // Written by hand, as an attacker would: a network built to save it would queue the pool's warm-up itself.
        const string file = """
            {"Format": "neuralnets-model/2", "ElementType": "Double", "InputShape": [1, 4096, 4096],
             "Layers": [{"Kind": "MaxPool2D", "Settings": {"kernelH": 2, "kernelW": 1, "strideH": 1, "strideW": 1, "padH": 0, "padW": 0}}],
             "Parameters": []}
            """;
        string path = Path.Combine(Path.GetTempPath(), $"warmup-bound-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, file);
            AllocatedWhileBuildingAndWarming(() => ModelFile.Load<double>(path)).Should().BeLessThan(Bound);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bounded_KeepsOrdinaryShapes_AndDropsHugeOnes()
    {
        var pool = new MaxPool2D<float>(2);
        LayerRehearsal.Bounded(pool, [6, 28, 28]).Should().Equal(6, 28, 28);
        LayerRehearsal.Bounded(pool, [64, 32, 32]).Should().Equal(64, 32, 32);
        LayerRehearsal.Bounded(pool, [1, 4096, 4096]).Should().BeNull();
        LayerRehearsal.Bounded(pool, [46340, 46340, 46340]).Should().BeNull("the count saturates instead of overflowing");
        LayerRehearsal.Bounded(new Conv2D<float>(1, 1, 1, seed: 0, padding: 4000), [1, 1, 1]).Should().BeNull();
    }

    // Every thread's allocations, the warm-up thread's included, from building the network to the end of its warm-ups.
    private static long AllocatedWhileBuildingAndWarming(Func<object> build)
    {
        KernelWarmUp.Wait();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        build().Should().NotBeNull();
        KernelWarmUp.Wait();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
