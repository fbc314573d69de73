using NeuralNets.Samples.Gan;

namespace NeuralNets.Tests.Samples;

public class GanTests
{
    [Fact]
    public void Train_2500Rounds_GeneratorMatchesTheRealDistributionAndFoolsTheDiscriminator()
    {
        var final = new GanDuel(seed: 1).Train(steps: 2500);
        final.GeneratedMean.Should().BeApproximately(4.0, 0.3);
        final.GeneratedStandardDeviation.Should().BeApproximately(1.25, 0.4);
        final.DiscriminatorAccuracy.Should().BeInRange(0.3, 0.7, "a fooled discriminator guesses");
    }

    [Fact]
    public void Train_SameSeed_GeneratesIdenticalSamples()
    {
        var first = new GanDuel(seed: 3);
        var second = new GanDuel(seed: 3);
        first.Train(steps: 50);
        second.Train(steps: 50);
        first.Generate(10).Should().Equal(second.Generate(10));
    }
}
