using NeuralNets.Kernels;
using System.Numerics;
using NeuralNets.Optimizers;
using NeuralNets.Tests.Kernels;
using static NeuralNets.Tests.Kernels.StepInputs;

namespace NeuralNets.Tests.Optimizers;

/// <summary>
/// Four steps of every elementwise optimizer, in each of its variants, through the public API give the bits of the
/// elementwise passes the optimizers ran before their one-pass kernels (<see cref="FormerOptimizerPasses{T}"/>), with
/// the per-step coefficients rounded as the optimizers round them: the weights and every state buffer, after every step.
/// </summary>
public class OnePassOptimizerTests
{
    public static TheoryData<string> Names => new(
        "Sgd", "SgdL2", "Momentum", "MomentumDampenedL2", "Nesterov", "NesterovL2", "Adagrad", "AdagradOutsideRootDecayL2",
        "RmsProp", "RmsPropCentered", "RmsPropMomentum", "RmsPropCenteredMomentumL2", "Adadelta", "AdadeltaL2",
        "Nadam", "NadamL2", "NadamDecoupled", "Adam", "AdamL2", "AdamAmsgrad", "AdamAmsgradL2", "AdamW", "AdamWAmsgrad", "AdamWNoDecay");

    [Theory, MemberData(nameof(Names))]
    public void Float_FourSteps_SameBitsAsThePasses(string name) => Check<float>(name);

    [Theory, MemberData(nameof(Names))]
    public void Double_FourSteps_SameBitsAsThePasses(string name) => Check<double>(name);

    [Theory, MemberData(nameof(Names))]
    public void Step_AfterFirstSteps_AllocatesNothing(string name)
    {
        var parameters = new[] { new Parameter<float>("a", 1003), new Parameter<float>("b", 7) };
        var optimizer = Create(name, parameters).Optimizer;
        Func<float> evaluate = () =>
        {
            foreach (var p in parameters) p.GradientSpan.Fill(0.25f);
            return 0;
        };
        for (int step = 0; step < 3; step++) optimizer.Step(evaluate);

        ThreadAllocation.LeastOf(() =>
        {
            for (int step = 0; step < 10; step++) optimizer.Step(evaluate);
        }).Should().Be(0);
    }

    /// <summary>One parameter's state in the reference: its buffers by name, NAdam's running product, Nesterov's kept weights.</summary>
    private sealed class Reference<T>(int length, double initialValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Dictionary<string, T[]> _buffers = [];

        public double MuProduct { get; set; } = 1;

        public T[] Kept { get; } = new T[length];

        public T[] this[string name] => _buffers.TryGetValue(name, out var buffer) ? buffer
            : _buffers[name] = Enumerable.Repeat(T.CreateChecked(initialValue), length).ToArray();

        public IEnumerable<string> Names => _buffers.Keys;
    }

    private delegate void ReferenceStep<T>(long t, T[] w, T[] g, Reference<T> state) where T : unmanaged, IFloatingPointIeee754<T>;

    private static void Check<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(name.Sum(c => c)); // string.GetHashCode differs between processes
        int[] lengths = [1003, 7];
        var parameters = lengths.Select((length, k) =>
        {
            var p = new Parameter<T>($"p{k}", length);
            p.SetValue(Values<T>(random, length).Select(x => T.IsFinite(x) ? x : T.One).ToArray());
            return p;
        }).ToArray();
        var (optimizer, referenceStep, initialValue) = Create(name, parameters);
        var weights = parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
        var references = lengths.Select(length => new Reference<T>(length, initialValue)).ToArray();

        for (long t = 1; t <= 4; t++)
        {
            var gradients = lengths.Select(length => Values<T>(random, length).Select(x => T.IsFinite(x) ? x : T.Zero).ToArray()).ToArray();
            optimizer.Step(() =>
            {
                for (int k = 0; k < parameters.Length; k++) gradients[k].CopyTo(parameters[k].GradientSpan);
                return T.Zero;
            });
            for (int k = 0; k < parameters.Length; k++)
            {
                referenceStep(t, weights[k], gradients[k], references[k]);
                parameters[k].ValueSpan.ToArray().ShouldHaveBitsOf(weights[k], $"{parameters[k].Name} after step {t}");
                var state = ((ElementwiseOptimizer<T>)optimizer).State[k];
                foreach (string buffer in references[k].Names)
                    state[buffer].ToArray().ShouldHaveBitsOf(references[k][buffer], $"{parameters[k].Name}'s {buffer} after step {t}");
            }
        }
    }

    private static (IOptimizer<T> Optimizer, ReferenceStep<T> Step, double InitialValue) Create<T>(string name, Parameter<T>[] p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        static T Of(double value) => T.CreateChecked(value);
        const double lr = 0.05, lambda = 0.01;
        switch (name)
        {
            case "Sgd" or "SgdL2":
            {
                double decay = name == "SgdL2" ? lambda : 0;
                return (new Sgd<T>(p, lr, decay), (t, w, g, s) => FormerOptimizerPasses<T>.Sgd(w, g, Of(decay), Of(lr)), 0);
            }
            case "Momentum" or "MomentumDampenedL2":
            {
                bool variant = name != "Momentum";
                double decay = variant ? lambda : 0, dampening = variant ? 0.1 : 0;
                return (new Momentum<T>(p, lr, 0.9, decay, dampening), (t, w, g, s) =>
                    FormerOptimizerPasses<T>.Momentum(w, g, s["velocity"], Of(decay), Of(0.9), t == 1 ? Of(lr) : (T.One - Of(dampening)) * Of(lr)), 0);
            }
            case "Nesterov" or "NesterovL2":
            {
                double decay = name == "NesterovL2" ? lambda : 0;
                return (new Nesterov<T>(p, lr, 0.9, decay), (t, w, g, s) =>
                {
                    FormerOptimizerPasses<T>.NesterovLookAhead(w, s.Kept, s["velocity"], Of(0.9));
                    FormerOptimizerPasses<T>.NesterovUpdate(w, s.Kept, g, s["velocity"], Of(decay), Of(0.9), Of(lr));
                }, 0);
            }
            case "Adagrad" or "AdagradOutsideRootDecayL2":
            {
                bool variant = name != "Adagrad";
                double decay = variant ? lambda : 0, lrDecay = variant ? 0.1 : 0, initial = variant ? 0.25 : 0;
                var placement = variant ? AdagradEpsilon.OutsideRoot : AdagradEpsilon.InsideRoot;
                return (new Adagrad<T>(p, lr, lrDecay, decay, initial, 1e-10, placement), (t, w, g, s) =>
                    FormerOptimizerPasses<T>.Adagrad(w, g, s["sum"], Of(decay), Of(1e-10), !variant, Of(lr) / Of(1 + (t - 1) * lrDecay)), initial);
            }
            case "RmsProp" or "RmsPropCentered" or "RmsPropMomentum" or "RmsPropCenteredMomentumL2":
            {
                bool centered = name.Contains("Centered", StringComparison.Ordinal), withMomentum = name.Contains("Momentum", StringComparison.Ordinal);
                double decay = name.EndsWith("L2", StringComparison.Ordinal) ? lambda : 0, momentum = withMomentum ? 0.5 : 0;
                return (new RmsProp<T>(p, lr, 0.99, 1e-8, decay, momentum, centered), (t, w, g, s) =>
                    FormerOptimizerPasses<T>.RmsProp(w, g, s["square_avg"], centered ? s["grad_avg"] : null, withMomentum ? s["momentum_buffer"] : null,
                        Of(decay), Of(0.99), Of(1e-8), Of(momentum), Of(lr)), 0);
            }
            case "Adadelta" or "AdadeltaL2":
            {
                double decay = name == "AdadeltaL2" ? lambda : 0;
                return (new Adadelta<T>(p, 1.0, 0.9, 1e-6, decay), (t, w, g, s) =>
                    FormerOptimizerPasses<T>.Adadelta(w, g, s["square_avg"], s["acc_delta"], Of(decay), Of(0.9), Of(1e-6), Of(1.0)), 0);
            }
            case "Nadam" or "NadamL2" or "NadamDecoupled":
            {
                bool decoupled = name == "NadamDecoupled";
                double decay = name == "Nadam" ? 0 : lambda;
                return (new Nadam<T>(p, lr, 0.9, 0.999, 1e-8, decay, 4e-3, decoupled), (t, w, g, s) =>
                {
                    // Nadam.BeginUpdate's coefficients.
                    double mu = 0.9 * (1 - 0.5 * Power.Of(0.96, t * 4e-3)), muNext = 0.9 * (1 - 0.5 * Power.Of(0.96, (t + 1) * 4e-3));
                    double product = s.MuProduct *= mu;
                    double rate = double.CreateChecked(Of(lr));
                    T gradientStep = Of(-rate * (1 - mu) / (1 - product)), momentumStep = Of(-rate * muNext / (1 - product * muNext));
                    T? factor = decoupled ? T.One - Of(lr) * Of(decay) : null;
                    FormerOptimizerPasses<T>.Nadam(w, g, s["exp_avg"], s["exp_avg_sq"], decoupled ? T.Zero : Of(decay), factor,
                        Of(0.9), Of(0.999), Of(Power.OneMinus(0.999, t)), Of(1e-8), gradientStep, momentumStep);
                }, 0);
            }
            default:
            {
                bool decoupled = name.StartsWith("AdamW", StringComparison.Ordinal), amsgrad = name.Contains("Amsgrad", StringComparison.Ordinal);
                double decay = decoupled ? name == "AdamWNoDecay" ? 0 : lambda : name.EndsWith("L2", StringComparison.Ordinal) ? lambda : 0;
                IOptimizer<T> optimizer = decoupled ? new AdamW<T>(p, lr, 0.9, 0.999, 1e-8, decay, amsgrad) : new Adam<T>(p, lr, 0.9, 0.999, 1e-8, decay, amsgrad);
                return (optimizer, (t, w, g, s) =>
                {
                    // AdamMoments' coefficients.
                    T stepSize = Of(lr) / Of(Power.OneMinus(0.9, t)), root = Of(1 / Math.Sqrt(Power.OneMinus(0.999, t)));
                    T? factor = decoupled && decay != 0 ? T.One - Of(lr) * Of(decay) : null;
                    FormerOptimizerPasses<T>.Adam(w, g, s["exp_avg"], s["exp_avg_sq"], amsgrad ? s["max_exp_avg_sq"] : null, decoupled ? T.Zero : Of(decay), factor,
                        Of(0.9), Of(0.999), root, Of(1e-8), stepSize);
                }, 0);
            }
        }
    }
}
