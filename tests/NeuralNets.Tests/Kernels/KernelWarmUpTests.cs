using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>The kernels' warm-up (started by the first network of an element type) runs every product it means to compile.</summary>
public class KernelWarmUpTests
{
    [Fact]
    public void RunProducts_FloatAndDouble_RunEveryKindOfProduct()
    {
        // Run directly: the warm-up thread swallows a failure, which would hide a product that stopped fitting its operands.
        var act = () =>
        {
            KernelWarmUp.RunProducts<float>();
            KernelWarmUp.RunProducts<double>();
        };
        act.Should().NotThrow();
    }

    [Fact]
    public async Task Start_ThenWait_Completes()
    {
        _ = Network.Sequential<double>(3).Dense(2).Build(seed: 1);
        KernelWarmUp.Start<float>();
        var waited = Task.Run(KernelWarmUp.Wait, TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(waited, Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        first.Should().BeSameAs(waited, "the warm-up is a few small products");
    }
}
