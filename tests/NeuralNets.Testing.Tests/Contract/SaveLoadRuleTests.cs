using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Testing.Contract;

namespace NeuralNets.Testing.Tests.Contract;

/// <summary>The save-and-load rule checks a layer whose kind is registered, and fails one whose kind rebuilds it wrongly.</summary>
public class SaveLoadRuleTests
{
    private static RuleResult SaveLoad(ILayer<double> layer) =>
        LayerContract.Check(layer, [4]).Rules.Single(r => r.Rule == "survives save and load");

    [Fact]
    public void Check_RegisteredUsersLayer_PassesTheRule()
    {
        LayerRegistry.Register(new ScaledKind("ContractScaled", readsFactor: true));

        SaveLoad(new Scaled("ContractScaled", 2.5)).Should().Be(new RuleResult("survives save and load", RuleStatus.Passed, ""));
    }

    [Fact]
    public void Check_RegisteredKindThatDropsASetting_FailsTheRuleSayingWhy()
    {
        LayerRegistry.Register(new ScaledKind("ContractForgetful", readsFactor: false));

        var result = SaveLoad(new Scaled("ContractForgetful", 2.5));

        result.Status.Should().Be(RuleStatus.Failed);
        result.Detail.Should().Contain("describes itself as ContractForgetful(factor=2.5) but its kind rebuilds it as ContractForgetful(factor=1)");
    }

    [Fact]
    public void Check_UnregisteredUsersLayer_IsNotedAsNotChecked()
    {
        SaveLoad(new Scaled("ContractNeverRegistered", 2)).Status.Should().Be(RuleStatus.NotChecked);
    }

    /// <summary>y = factor·x.</summary>
    private sealed class Scaled(string kind, double factor) : Activation<double>
    {
        public override string Kind => kind;

        protected override void Activate(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = factor * x[i];
        }

        protected override void Differentiate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx)
        {
            for (int i = 0; i < x.Length; i++) dx[i] = factor * dy[i];
        }

        public override LayerDescription Describe() => new(Kind, new Dictionary<string, double> { ["factor"] = factor });
    }

    private sealed class ScaledKind(string name, bool readsFactor) : LayerKind(name)
    {
        public override ILayer<T> Create<T>(LayerSettings settings) =>
            (ILayer<T>)(object)new Scaled(Name, readsFactor ? settings.Finite("factor") : 1);
    }
}
