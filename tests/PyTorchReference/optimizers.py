"""Records torch.optim's parameter trajectories in float64 for NeuralNets' optimizer golden tests.

What it records, from Python PyTorch's own torch.optim (1.13, the Debian package python3-torch), in float64:
  * every elementwise optimizer NeuralNets has a PyTorch counterpart for (SGD plain, with weight decay, momentum,
    dampening and Nesterov; Adagrad; Adadelta; RMSprop plain, centered and with momentum; Adam plain, with L2 decay and
    AMSGrad; AdamW plain and AMSGrad; NAdam plain and with decay), 15 steps each on the quadratic
    f(w) = 1/2 sum a_i w_i^2 + sum c_i w_i, a = (1, 10, 100, 3), c = (1, -2, 0.5, 0), w0 = Wave(4, 1000, 1.0):
    w after every step, concatenated;
  * LBFGS, fixed step and strong-Wolfe line search, on the quadratic, the quadratic plus 1/4 sum w_i^4, Rosenbrock in
    2 and 8 dimensions, the quadratic at scale 1e-10 (where PyTorch's absolute tolerances end the zoom), two
    one-dimensional functions that send the line search to its limits (a line too shallow for its 25 extrapolations,
    a loss levelling off towards -1), and two 3-4-2 networks (tanh with mean squared error, sigmoid with softmax
    cross-entropy), over several successive step() calls: the settings torch ran with, and after each step the
    parameters, the loss step() returned, the closure calls it made and torch's n_iter.

The problems' losses and gradients are written out in Python floats, in the order NeuralNets' test closures compute
them, so that the comparison is of the optimizers alone; the networks use torch.nn and autograd. Inputs come from
Wave(count, offset, scale) = scale * sin(0.7 * (i + offset) + 0.3), as in tests/NeuralNets.Tests/Golden/GoldenInputs.cs.

NAdam runs with foreach=True: torch 1.13's single-tensor NAdam multiplied mu_product by mu twice in its second
correction (mu_product_next = mu_product * mu * mu_next, fixed in PyTorch 2.0 by pytorch/pytorch#92699); its multi-tensor
path already computed today's mu_product * mu_next.

The script also traces which lines of torch/optim/lbfgs.py each LBFGS case runs (the line search's extrapolation,
bracketing, zoom, its 25-trial budget, and each of step()'s stopping rules) and writes the counts as comments, so a
reader can see that every path the golden tests claim to cover did run.

Rerun (from the repository root; the output is the same bytes on every run):
    /usr/bin/python3 tests/PyTorchReference/optimizers.py tests/NeuralNets.Tests/Golden/PyTorchOptimizerValues.cs
"""

import inspect
import math
import sys

import torch
import torch.optim.lbfgs as lbfgs_module
from golden import wave

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

STEPS = 15  # steps of each elementwise optimizer


# ---------------------------------------------------------------------------------------------------------------------
# Problems: each evaluate(values) returns (loss, gradient) as Python floats, in the order of NeuralNets' test closures.

class Quadratic:
    """1/2 sum a_i w_i^2 + sum c_i w_i (tests/NeuralNets.Tests/Optimizers/Quadratic.cs), optionally + 1/4 sum w_i^4."""

    def __init__(self, a, c, start, quartic=False):
        self.a, self.c, self.start, self.quartic = a, c, start, quartic

    def evaluate(self, w):
        loss = 0.0
        for i in range(len(w)):
            loss += 0.5 * self.a[i] * w[i] * w[i] + self.c[i] * w[i]
        g = [self.a[i] * w[i] + self.c[i] for i in range(len(w))]
        if self.quartic:
            for i in range(len(w)):
                loss += 0.25 * (w[i] * w[i] * w[i] * w[i])
                g[i] += w[i] * w[i] * w[i]
        return loss, g


class Rosenbrock:
    """sum over i < n - 1 of (1 - x_i)^2 + 100 (x_(i+1) - x_i^2)^2 (tests/NeuralNets.Tests/Optimizers/Rosenbrock.cs)."""

    def __init__(self, start):
        self.start = start

    def evaluate(self, x):
        loss = 0.0
        g = [0.0] * len(x)
        for i in range(len(x) - 1):
            r = x[i + 1] - x[i] * x[i]
            loss += (1 - x[i]) * (1 - x[i]) + 100 * r * r
            g[i] += -2 * (1 - x[i]) - 400 * x[i] * r
            g[i + 1] += 200 * r
        return loss, g


class LevelingOff:
    """sum -w_i / sqrt(1 + w_i^2): falls from 0 towards -1 along each w_i, ever flatter."""

    def __init__(self, start):
        self.start = start

    def evaluate(self, w):
        loss = 0.0
        g = []
        for v in w:
            root = math.sqrt(1 + v * v)
            loss += -v / root
            g.append(-1 / ((1 + v * v) * root))
        return loss, g


def golden_quadratic(quartic=False):
    """OptimizerGoldenTests.Problem(), the quadratic of every elementwise golden test."""
    return Quadratic([1.0, 10.0, 100.0, 3.0], [1.0, -2.0, 0.5, 0.0], wave(4, 1000, 1.0), quartic)


class AnalyticRun:
    """One parameter holding the problem's vector; the closure writes the gradient the problem computes."""

    def __init__(self, problem):
        self.problem = problem
        self.w = torch.tensor(problem.start, requires_grad=True)
        self.parameters = [self.w]
        self.calls = 0

    def closure(self):
        self.calls += 1
        loss, g = self.problem.evaluate(self.w.detach().tolist())
        if not math.isfinite(loss):
            raise RuntimeError("a non-finite loss: NeuralNets backs off from it where PyTorch does not (Lbfgs.cs)")
        self.w.grad = torch.tensor(g)
        return torch.tensor(loss)

    def values(self):
        return self.w.detach().tolist()


class NetworkRun:
    """A 3-4-2 network, Linear-activation-Linear, weights from Wave in PyTorch's [out, in] layout, on 6 points."""

    def __init__(self, activation, loss):
        self.w1 = torch.tensor(wave(12, 20, 0.8)).reshape(4, 3).requires_grad_()
        self.b1 = torch.tensor(wave(4, 40, 0.3)).requires_grad_()
        self.w2 = torch.tensor(wave(8, 50, 0.9)).reshape(2, 4).requires_grad_()
        self.b2 = torch.tensor(wave(2, 70, 0.2)).requires_grad_()
        self.parameters = [self.w1, self.b1, self.w2, self.b2]
        self.x = torch.tensor(wave(18, 0, 1.5)).reshape(6, 3)
        self.activation = activation
        if loss == "mse":
            self.target = torch.tensor(wave(12, 500, 0.7)).reshape(6, 2)
            self.loss = torch.nn.MSELoss()
        else:
            self.target = torch.tensor([0, 1, 1, 0, 1, 0])
            self.loss = torch.nn.CrossEntropyLoss()
        self.calls = 0

    def closure(self):
        self.calls += 1
        for p in self.parameters:
            p.grad = None
        hidden = self.activation(torch.nn.functional.linear(self.x, self.w1, self.b1))
        output = torch.nn.functional.linear(hidden, self.w2, self.b2)
        loss = self.loss(output, self.target)
        loss.backward()
        if not math.isfinite(loss.item()):
            raise RuntimeError("a non-finite loss: NeuralNets backs off from it where PyTorch does not (Lbfgs.cs)")
        return loss

    def values(self):
        return [v for p in self.parameters for v in p.detach().reshape(-1).tolist()]


# ---------------------------------------------------------------------------------------------------------------------
# Elementwise optimizers: (name, what it is, factory, learning rate after step 10 or None).

ELEMENTWISE = [
    ("SgdWeightDecay", "SGD(lr=0.01, weight_decay=0.1)",
     lambda p: torch.optim.SGD(p, lr=0.01, weight_decay=0.1), None),
    ("SgdMomentum", "SGD(lr=0.01, momentum=0.9)",
     lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9), None),
    ("SgdMomentumDampeningWeightDecay", "SGD(lr=0.02, momentum=0.8, dampening=0.3, weight_decay=0.05)",
     lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.8, dampening=0.3, weight_decay=0.05), None),
    ("SgdMomentumDampeningWeightDecayLearningRateChange",
     "SGD(lr=0.03, momentum=0.7, dampening=0.2, weight_decay=0.02), lr = 0.01 from step 11",
     lambda p: torch.optim.SGD(p, lr=0.03, momentum=0.7, dampening=0.2, weight_decay=0.02), 0.01),
    ("SgdNesterov", "SGD(lr=0.01, momentum=0.9, nesterov=True)",
     lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True), None),
    ("SgdNesterovWeightDecay", "SGD(lr=0.015, momentum=0.7, weight_decay=0.1, nesterov=True)",
     lambda p: torch.optim.SGD(p, lr=0.015, momentum=0.7, weight_decay=0.1, nesterov=True), None),
    ("SgdNesterovWeightDecayLearningRateChange",
     "SGD(lr=0.02, momentum=0.8, weight_decay=0.03, nesterov=True), lr = 0.006 from step 11",
     lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.8, weight_decay=0.03, nesterov=True), 0.006),
    ("Adagrad", "Adagrad(lr=0.1)",
     lambda p: torch.optim.Adagrad(p, lr=0.1), None),
    ("AdagradDecays", "Adagrad(lr=0.2, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6)",
     lambda p: torch.optim.Adagrad(p, lr=0.2, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6), None),
    ("Adadelta", "Adadelta(lr=1.0)",
     lambda p: torch.optim.Adadelta(p, lr=1.0), None),
    ("AdadeltaOptions", "Adadelta(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1)",
     lambda p: torch.optim.Adadelta(p, lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1), None),
    ("RmsProp", "RMSprop(lr=0.01)",
     lambda p: torch.optim.RMSprop(p, lr=0.01), None),
    ("RmsPropCentered", "RMSprop(lr=0.01, centered=True)",
     lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True), None),
    ("RmsPropMomentumLearningRateChange", "RMSprop(lr=0.01, momentum=0.5), lr = 0.003 from step 11",
     lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5), 0.003),
    ("RmsPropCenteredMomentumWeightDecay", "RMSprop(lr=0.02, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.5, centered=True)",
     lambda p: torch.optim.RMSprop(p, lr=0.02, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.5, centered=True), None),
    ("Adam", "Adam(lr=0.01)",
     lambda p: torch.optim.Adam(p, lr=0.01), None),
    ("AdamWeightDecayBetasLearningRateChange", "Adam(lr=0.05, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1), lr = 0.02 from step 11",
     lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1), 0.02),
    ("AdamAmsgrad", "Adam(lr=0.1, betas=(0.9, 0.5), amsgrad=True)",
     lambda p: torch.optim.Adam(p, lr=0.1, betas=(0.9, 0.5), amsgrad=True), None),
    ("AdamW", "AdamW(lr=0.01, weight_decay=0.1)",
     lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1), None),
    ("AdamWAmsgrad", "AdamW(lr=0.1, betas=(0.9, 0.5), weight_decay=0.1, amsgrad=True)",
     lambda p: torch.optim.AdamW(p, lr=0.1, betas=(0.9, 0.5), weight_decay=0.1, amsgrad=True), None),
    ("Nadam", "NAdam(lr=0.05, foreach=True)",
     lambda p: torch.optim.NAdam(p, lr=0.05, foreach=True), None),
    ("NadamWeightDecay", "NAdam(lr=0.1, betas=(0.8, 0.9), weight_decay=0.1, momentum_decay=0.01, foreach=True)",
     lambda p: torch.optim.NAdam(p, lr=0.1, betas=(0.8, 0.9), weight_decay=0.1, momentum_decay=0.01, foreach=True), None),
]


def run_elementwise(factory, later_rate):
    run = AnalyticRun(golden_quadratic())
    optimizer = factory(run.parameters)
    trajectory = []
    for step in range(STEPS):
        if step == 10 and later_rate is not None:
            optimizer.param_groups[0]["lr"] = later_rate
        optimizer.step(run.closure)
        trajectory += run.values()
    return trajectory


# ---------------------------------------------------------------------------------------------------------------------
# LBFGS cases: (name, problem description, run factory, LBFGS keyword arguments, step() calls).

LBFGS = [
    ("LbfgsQuadraticFixedStep", "golden quadratic",
     lambda: AnalyticRun(golden_quadratic()), dict(lr=0.5, max_iter=3, history_size=3), 8),
    ("LbfgsQuarticFixedStep", "golden quadratic + 1/4 sum w^4",
     lambda: AnalyticRun(golden_quadratic(quartic=True)), dict(lr=0.5, max_iter=3, history_size=3), 8),
    ("LbfgsQuadraticStrongWolfe", "golden quadratic",
     lambda: AnalyticRun(golden_quadratic()), dict(lr=1, max_iter=10, history_size=3, tolerance_grad=1e-4, line_search_fn="strong_wolfe"), 5),
    ("LbfgsQuarticStrongWolfe", "golden quadratic + 1/4 sum w^4",
     lambda: AnalyticRun(golden_quadratic(quartic=True)), dict(lr=1.5, max_iter=4, history_size=3, line_search_fn="strong_wolfe"), 4),
    ("LbfgsRosenbrock2StrongWolfe", "2-D Rosenbrock from (-1.2, 1)",
     lambda: AnalyticRun(Rosenbrock([-1.2, 1.0])), dict(lr=1, max_iter=8, history_size=5, line_search_fn="strong_wolfe"), 5),
    ("LbfgsRosenbrock2EvaluationBudget", "2-D Rosenbrock from (-1.2, 1)",
     lambda: AnalyticRun(Rosenbrock([-1.2, 1.0])), dict(lr=0.3, max_iter=10, max_eval=7, history_size=2, line_search_fn="strong_wolfe"), 5),
    ("LbfgsRosenbrock8StrongWolfe", "8-D Rosenbrock from Wave(8, 300, 1.5)",
     lambda: AnalyticRun(Rosenbrock(wave(8, 300, 1.5))), dict(lr=1, max_iter=20, history_size=4, tolerance_change=1e-4, line_search_fn="strong_wolfe"), 4),
    ("LbfgsTinyQuadraticStrongWolfe", "golden quadratic without c, from 1e-10·Wave(4, 1000, 1.0)",
     lambda: AnalyticRun(Quadratic([1.0, 10.0, 100.0, 3.0], [0.0] * 4, [1e-10 * v for v in wave(4, 1000, 1.0)])),
     dict(lr=3, max_iter=5, tolerance_grad=0, tolerance_change=1e-30, line_search_fn="strong_wolfe"), 3),
    # One dimension, so that every dot product is one product and both libraries round alike where the search's
    # decisions rest on rounding (a cubic whose discriminant is zero but for rounding, losses equal to 1e-9).
    ("LbfgsShallowLineStrongWolfe", "1-D 1/2·1e-30·w^2 - w from 0.5",
     lambda: AnalyticRun(Quadratic([1e-30], [-1.0], [0.5])), dict(lr=1, max_iter=2, line_search_fn="strong_wolfe"), 2),
    ("LbfgsLevelingOffStrongWolfe", "1-D -w / sqrt(1 + w^2) from 0.3",
     lambda: AnalyticRun(LevelingOff([0.3])), dict(lr=1e4, max_iter=3, line_search_fn="strong_wolfe"), 2),
    ("LbfgsLevelingOffFartherStrongWolfe", "1-D -w / sqrt(1 + w^2) from 0",
     lambda: AnalyticRun(LevelingOff([0.0])), dict(lr=3e4, max_iter=3, line_search_fn="strong_wolfe"), 2),
    ("LbfgsTanhMseStrongWolfe", "3-4-2 tanh network, mean squared error",
     lambda: NetworkRun(torch.tanh, "mse"), dict(lr=1, max_iter=6, history_size=4, line_search_fn="strong_wolfe"), 4),
    ("LbfgsSigmoidCrossEntropyStrongWolfe", "3-4-2 sigmoid network, softmax cross-entropy",
     lambda: NetworkRun(torch.sigmoid, "ce"), dict(lr=5, max_iter=5, history_size=10, tolerance_change=1e-5,
                                                   line_search_fn="strong_wolfe"), 4),
    ("LbfgsTanhMseFixedStep", "3-4-2 tanh network, mean squared error",
     lambda: NetworkRun(torch.tanh, "mse"), dict(lr=0.2, max_iter=5, history_size=3), 4),
]


# Lines of lbfgs.py whose execution marks a path, found by their text (and which occurrence, and a line offset).
PATHS = [
    ("search: first trial", "_strong_wolfe", "f_new, g_new = obj_func(x, t, d)", 0, 0),
    ("search: extrapolation", "_strong_wolfe", "min_step = t + 0.01 * (t - t_prev)", 0, 0),
    ("search: bracket on no sufficient decrease or a rise", "_strong_wolfe", "bracket = [t_prev, t]", 0, 0),
    ("search: strong Wolfe met before any zoom", "_strong_wolfe", "done = True", 0, 0),
    ("search: bracket on an upward slope", "_strong_wolfe", "bracket = [t_prev, t]", 1, 0),
    ("search: 25 extrapolations (max_ls)", "_strong_wolfe", "bracket = [0, t]", 0, 0),
    ("zoom: trial", "_strong_wolfe", "eps = 0.1 * (max(bracket) - min(bracket))", 0, 0),
    ("zoom: stop on a bracket under 1e-9", "_strong_wolfe", "if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:", 0, 1),
    ("zoom: close to an end, accepted once", "_strong_wolfe", "insuf_progress = True", 0, 0),
    ("zoom: moved 10 % inside from the upper end", "_strong_wolfe", "t = max(bracket) - eps", 0, 0),
    ("zoom: moved 10 % inside from the lower end", "_strong_wolfe", "t = min(bracket) + eps", 0, 0),
    ("zoom: trial becomes the high end", "_strong_wolfe", "bracket[high_pos] = t", 0, 0),
    ("zoom: old low end becomes the high end", "_strong_wolfe", "bracket[high_pos] = bracket[low_pos]", 0, 0),
    ("zoom: trial becomes the low end", "_strong_wolfe", "bracket[low_pos] = t", 0, 0),
    ("zoom: strong Wolfe met", "_strong_wolfe", "done = True", 1, 0),
    ("cubic: no minimiser, midpoint", "_cubic_interpolate", "return (xmin_bound + xmax_bound) / 2.", 0, 0),
    ("step: pair stored", "step", "old_dirs.append(y)", 0, 0),
    ("step: oldest pair dropped", "step", "old_dirs.pop(0)", 0, 0),
    ("step: stop at once, gradient under tolerance_grad", "step", "return orig_loss", 0, 0),
    ("step: stop, no descent direction", "step", "if gtd > -tolerance_change:", 0, 1),
    ("step: stop, max_iter", "step", "if n_iter == max_iter:", 0, 1),
    ("step: stop, max_eval", "step", "if current_evals >= max_eval:", 0, 1),
    ("step: stop, gradient under tolerance_grad", "step", "if opt_cond:", 1, 1),
    ("step: stop, step under tolerance_change", "step", "if d.mul(t).abs().max() <= tolerance_change:", 0, 1),
    ("step: stop, loss change under tolerance_change", "step", "if abs(loss - prev_loss) < tolerance_change:", 0, 1),
]


# A pseudo line number for a path no single line marks: the zoom ending with the search's 25 trials spent.
ZOOM_SPENT = -1


def path_lines():
    """Maps each path's name to its line number in lbfgs.py."""
    functions = {"_strong_wolfe": lbfgs_module._strong_wolfe, "_cubic_interpolate": lbfgs_module._cubic_interpolate,
                 "step": lbfgs_module.LBFGS.step}
    lines = {}
    for name, function, text, occurrence, offset in PATHS:
        source, first = inspect.getsourcelines(inspect.unwrap(functions[function]))
        found = [i for i, line in enumerate(source) if line.strip().startswith(text)]
        if len(found) <= occurrence:
            raise RuntimeError(f"lbfgs.py no longer has '{text}' (occurrence {occurrence}) in {function}")
        lines[first + found[occurrence] + offset] = name
    lines[ZOOM_SPENT] = "zoom: ended with the 25 trials spent"
    return lines


class LineCounter:
    """Counts the lines of lbfgs.py that run, through sys.settrace."""

    def __init__(self):
        self.counts = {}
        self.file = lbfgs_module.__file__

    def __enter__(self):
        sys.settrace(self.global_trace)
        return self

    def __exit__(self, *exception):
        sys.settrace(None)

    def global_trace(self, frame, event, arg):
        return self.local_trace if frame.f_code.co_filename == self.file else None

    def local_trace(self, frame, event, arg):
        if event == "line":
            self.counts[frame.f_lineno] = self.counts.get(frame.f_lineno, 0) + 1
        elif event == "return" and frame.f_code.co_name == "_cubic_interpolate" and math.isnan(float(arg)):
            raise RuntimeError("a NaN trial step: NeuralNets takes the bracket's midpoint there instead (Lbfgs.LineSearch.cs)")
        elif event == "return" and frame.f_code.co_name == "_strong_wolfe":
            variables = frame.f_locals
            if not variables["done"] and variables["ls_iter"] == variables["max_ls"] and "bracket_gtd" in variables:
                self.counts[ZOOM_SPENT] = self.counts.get(ZOOM_SPENT, 0) + 1
        return self.local_trace


def run_lbfgs(make_run, options, steps):
    """The parameters after each step, the losses step() returned, its closure calls, n_iter after it, the settings
    torch ran with, and the lines of lbfgs.py that ran."""
    run = make_run()
    optimizer = torch.optim.LBFGS(run.parameters, **options)
    points, losses, calls, iterations = [], [], [], []
    with LineCounter() as counter:
        for _ in range(steps):
            before = run.calls
            losses.append(float(optimizer.step(run.closure)))
            calls.append(run.calls - before)
            iterations.append(optimizer.state[run.parameters[0]]["n_iter"])
            points += run.values()
    return points, losses, calls, iterations, optimizer.param_groups[0], counter.counts


def lbfgs_options_text(options):
    return ", ".join(f"{key}={value!r}" for key, value in options.items())


# ---------------------------------------------------------------------------------------------------------------------
# The C# file.

def value_lines(values, per_line, indent):
    """The values, per_line to a line, each line ending in a comma but the last."""
    text = []
    for start in range(0, len(values), per_line):
        chunk = ", ".join(repr(v) for v in values[start:start + per_line])
        text.append(f"{indent}{chunk}{',' if start + per_line < len(values) else ''}")
    return text


def array_lines(name, values):
    return [f"    public static readonly double[] {name} =", "    ["] + value_lines([float(v) for v in values], 4, " " * 8) + ["    ];"]


def lbfgs_lines(name, settings, points, losses, calls, iterations):
    line_search = "StrongWolfe" if settings["line_search_fn"] == "strong_wolfe" else "FixedStep"
    text = [
        f"    public static readonly PyTorchLbfgsRun {name} = new(",
        f"        LearningRate: {float(settings['lr'])!r}, MaxIterations: {settings['max_iter']}, MaxEvaluations: {settings['max_eval']}, "
        f"GradientTolerance: {float(settings['tolerance_grad'])!r},",
        f"        ChangeTolerance: {float(settings['tolerance_change'])!r}, HistorySize: {settings['history_size']}, LineSearch: LbfgsLineSearch.{line_search},",
        "        Points:",
        "        [",
    ]
    text += value_lines([float(v) for v in points], 4, " " * 12)
    text += ["        ],", "        Losses:", "        ["] + value_lines(losses, 4, " " * 12)
    text += ["        ],", f"        Calls: [{', '.join(map(str, calls))}],", f"        Iterations: [{', '.join(map(str, iterations))}]);"]
    return text


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: optimizers.py OUTPUT.cs")
    version = ".".join(torch.__version__.split(".")[:2])
    lines = [
        "// <auto-generated>",
        f"// Generated by tests/PyTorchReference/optimizers.py from Python PyTorch {version}'s torch.optim in float64:",
        "//   /usr/bin/python3 tests/PyTorchReference/optimizers.py tests/NeuralNets.Tests/Golden/PyTorchOptimizerValues.cs",
        "// Inputs are GoldenInputs.Wave(count, offset, scale) = scale·sin(0.7·(i + offset) + 0.3); see the script's docstring.",
        "// Do not edit by hand: regenerate.",
        "// </auto-generated>",
        "using NeuralNets.Optimizers;",
        "",
        "namespace NeuralNets.Tests.Golden;",
        "",
        "/// <summary>Parameter trajectories recorded from Python PyTorch's torch.optim; PyTorchOptimizerTests compares NeuralNets with them.</summary>",
        "internal static class PyTorchOptimizerValues",
        "{",
        f"    // Elementwise optimizers on the golden quadratic: w after each of {STEPS} steps, concatenated.",
    ]
    for name, description, factory, later_rate in ELEMENTWISE:
        lines.append(f"    // torch.optim.{description}.")
        lines += array_lines(name, run_elementwise(factory, later_rate))

    names = path_lines()
    totals = {name: 0 for name in names.values()}
    for name, problem, make_run, options, steps in LBFGS:
        points, losses, calls, iterations, settings, counts = run_lbfgs(make_run, options, steps)
        ran = [(names[line], count) for line, count in sorted(counts.items()) if line in names]
        for path, count in ran:
            totals[path] += count
        lines.append("")
        lines.append(f"    // torch.optim.LBFGS({lbfgs_options_text(options)}), {steps} step() calls, on the {problem}.")
        lines.append("    // Paths run: " + "; ".join(f"{path} ×{count}" for path, count in ran) + ".")
        lines += lbfgs_lines(name, settings, points, losses, calls, iterations)
    missing = [path for path, count in totals.items() if count == 0]
    lines.append("")
    lines.append("    // Every traced path of lbfgs.py ran in some case above." if not missing
                 else "    // Paths no case ran: " + "; ".join(missing) + ".")
    lines.append("}")
    with open(sys.argv[1], "w", encoding="utf-8", newline="\n") as output:
        output.write("\n".join(lines) + "\n")
    for path, count in totals.items():
        print(f"{count:6d}  {path}")


if __name__ == "__main__":
    main()
