using System.Numerics;
using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>Every optimizer by name, with hyperparameters that suit the test quadratics (largest curvature 100).</summary>
internal static class OptimizerCatalog
{
    public static readonly string[] Names =
        ["Sgd", "Momentum", "MomentumPyTorch", "Nesterov", "NesterovPyTorch", "Adagrad", "AdagradPyTorch", "Adadelta", "Adam", "AdamAmsgrad", "AdamW", "AdamWAmsgrad", "Nadam", "NadamDecoupled", "RmsProp", "RmsPropCenteredMomentum", "Lbfgs"];

    /// <summary>The rules whose state is elementwise; L-BFGS couples all parameters through its line search by design.</summary>
    public static readonly string[] Elementwise = Names.Where(n => n != "Lbfgs").ToArray();

    public static TheoryData<string> All => new(Names);

    public static TheoryData<string> AllElementwise => new(Elementwise);

    public static IOptimizer<T> Create<T>(string name, IEnumerable<Parameter<T>> p) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "Sgd" => new Sgd<T>(p, 0.01),
        "Momentum" => new Momentum<T>(p, 0.005),
        "MomentumPyTorch" => new Momentum<T>(p, 0.005, convention: MomentumConvention.PyTorch),
        "Nesterov" => new Nesterov<T>(p, 0.005),
        "NesterovPyTorch" => new Nesterov<T>(p, 0.005, convention: MomentumConvention.PyTorch),
        "Adagrad" => new Adagrad<T>(p, 0.5),
        "AdagradPyTorch" => new Adagrad<T>(p, 0.5, epsilonPlacement: AdagradEpsilon.OutsideRoot),
        "Adadelta" => new Adadelta<T>(p),
        "Adam" => new Adam<T>(p, 0.05),
        "AdamW" => new AdamW<T>(p, 0.05),
        "AdamAmsgrad" => new Adam<T>(p, 0.05, amsgrad: true),
        "AdamWAmsgrad" => new AdamW<T>(p, 0.05, amsgrad: true),
        "Nadam" => new Nadam<T>(p, 0.05),
        "NadamDecoupled" => new Nadam<T>(p, 0.05, weightDecay: 0.01, decoupledWeightDecay: true),
        "RmsProp" => new RmsProp<T>(p, 0.01),
        "RmsPropCenteredMomentum" => new RmsProp<T>(p, 0.005, momentum: 0.5, centered: true),
        "Lbfgs" => new Lbfgs<T>(p),
        _ => throw new ArgumentException($"Unknown optimizer {name}.", nameof(name)),
    };
}
