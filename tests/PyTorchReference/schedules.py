"""Learning rates of torch.optim.lr_scheduler, step by step, for tests/NeuralNets.Tests/Schedules.

Records, in float64, the rate an optimizer holds before each of its first n epochs (or batches) when the scheduler is
stepped as a user steps it: read the rate, take the optimizer step, call scheduler.step() once, repeat. Scheduler.step()
is called without an epoch argument, so PyTorch takes its chainable (recursive) forms where it has them. Schedulers and
their NeuralNets counterparts:
  StepLR            - StepDecay           (per epoch)
  ExponentialLR     - ExponentialDecay    (per epoch)
  CosineAnnealingLR - CosineAnnealing     (per epoch; recorded past T_max, where the two part on purpose)
  LinearLR          - LinearWarmup        (per batch, end_factor 1)
  OneCycleLR        - OneCycle            (per batch, cosine, three_phase=False, cycle_momentum=False: only the rate)
  ReduceLROnPlateau - ReduceLearningRateOnPlateau (a callback: stepped after each epoch with a scripted figure)

Recorded from PyTorch 1.13 (Debian's python3-torch); the rates are the same in later versions' chainable forms.
Rerun from the repository root with Debian's Python, the one that imports torch:
  /usr/bin/python3 tests/PyTorchReference/schedules.py tests/NeuralNets.Tests/Schedules/PyTorchScheduleValues.cs
The output is the same bytes on every run.
"""
import math
import sys

import torch
from golden import literal


def rates(make_scheduler, lr, count):
    """The rate before each of `count` optimizer steps, the scheduler stepped after each."""
    parameter = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([parameter], lr=lr)
    scheduler = make_scheduler(optimizer)
    seen = []
    for _ in range(count):
        seen.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return seen


S = torch.optim.lr_scheduler

# (lr, step_size, gamma, epochs)
STEP_LR = [
    (0.1, 3, 0.5, 12),
    (0.1, 1, 0.1, 10),
    (0.1, 1, 0.9, 80),
    (0.05, 2, 1.0, 6),
    (1.0, 7, 0.3, 50),
]

# (lr, gamma, epochs)
EXPONENTIAL_LR = [
    (0.1, 0.9, 30),
    (2.0, 0.5, 20),
    (0.01, 1.0, 5),
    (1.0, 0.99, 300),
    (0.3, 0.95, 500),
]

# (lr, T_max, eta_min, epochs): every configuration runs past T_max + 1, where PyTorch's rate rises again.
COSINE_ANNEALING_LR = [
    (0.1, 10, 0.001, 25),
    (1.0, 1, 0.01, 5),
    (0.05, 50, 1e-8, 60),
    (0.1, 7, 0.099, 16),
    (0.1, 200, 1e-6, 205),
    (1.0, 1000, 1e-8, 1003),
]

# (lr, start_factor, total_iters, steps)
LINEAR_LR = [
    (0.3, 1.0 / 3, 5, 10),
    (0.1, 0.25, 4, 8),
    (0.1, 1.0, 3, 5),
    (0.5, 0.01, 100, 120),
    (1.0, 0.5, 1, 4),
    (0.02, 0.1, 37, 45),
]

# (max_lr, total_steps, pct_start, div_factor, final_div_factor): pct_start·total_steps is kept unrounded by PyTorch.
ONE_CYCLE_LR = [
    (1.0, 10, 0.3, 25.0, 1e4),
    (0.1, 7, 0.3, 25.0, 1e4),
    (0.01, 11, 0.25, 10.0, 100.0),
    (0.5, 12, 0.1, 25.0, 1e4),
    (0.2, 100, 0.45, 5.0, 1e3),
    (1.0, 13, 0.45, 25.0, 1e4),
    (0.75, 2, 0.75, 25.0, 1e4),
    (0.3, 1000, 0.3, 25.0, 1e4),
    (0.05, 23, 0.6, 2.0, 1.0),
]


def plateau_rates(lr, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, figures):
    """The rate of each epoch, ReduceLROnPlateau stepped with that epoch's figure at its end."""
    return rates_after_each(lambda o: S.ReduceLROnPlateau(
        o, mode=mode, factor=factor, patience=patience, threshold=threshold, threshold_mode=threshold_mode,
        cooldown=cooldown, min_lr=min_lr), lr, figures)


def rates_after_each(make_scheduler, lr, figures):
    parameter = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([parameter], lr=lr)
    scheduler = make_scheduler(optimizer)
    seen = []
    for figure in figures:
        seen.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step(figure)
    return seen


def figures(count, offset, trend, wobble, digits):
    """A falling figure with a wobble, rounded so that some epochs tie: 1/(1 + trend·e) + wobble·sin(0.7·(e + offset) + 0.3)."""
    return [round(1 / (1 + trend * e) + wobble * math.sin(0.7 * (e + offset) + 0.3), digits) for e in range(count)]


# (lr, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, figures)
REDUCE_LR_ON_PLATEAU = [
    (0.1, "min", 0.5, 2, 1e-4, "rel", 0, 0.0, figures(40, 1800, 0.15, 0.03, 4)),
    (0.1, "max", 0.3, 1, 0.01, "abs", 2, 0.0, [1 - f for f in figures(40, 1810, 0.1, 0.05, 3)]),
    (0.1, "min", 0.1, 0, 1e-4, "rel", 0, 0.02, figures(20, 1820, 0.01, 0.03, 3)),
    (1e-7, "min", 0.5, 0, 0.0, "rel", 0, 0.0, [1.0] * 12),
    (0.1, "min", 0.1, 10, 1e-4, "rel", 0, 0.0, figures(60, 1830, 0.5, 0.02, 2)),
    (0.05, "max", 0.5, 3, 1e-3, "rel", 1, 0.001, [2 - f for f in figures(50, 1840, 0.2, 0.01, 4)]),
    (0.2, "min", 0.25, 1, 0.005, "abs", 0, 0.0, figures(30, 1850, 0.1, 0.02, 3)),
]


def rows(values, per_line=4, indent="            "):
    lines = []
    for start in range(0, len(values), per_line):
        lines.append(indent + ", ".join(literal(v) for v in values[start:start + per_line]) + ",")
    return "\n".join(lines)


def case(arguments, lists):
    """One record: its scalar arguments on a line, then each list of doubles as a collection expression."""
    blocks = ",".join("\n        [\n" + rows(values) + "\n        ]" for values in lists)
    return "        new(" + ", ".join(arguments) + "," + blocks + "),"


def section(record, name, comment, cases):
    body = "\n".join(case(arguments, lists) for arguments, *lists in cases)
    return f"    /// <summary>{comment}</summary>\n    public static readonly {record}[] {name} =\n    [\n{body}\n    ];\n"


def main(path):
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    sections = [
        section("StepLRCase", "StepLR", "StepLR(lr, step_size, gamma): the rate of epochs 1, 2, …",
                [([literal(lr), str(size), literal(gamma)],
                  rates(lambda o: S.StepLR(o, step_size=size, gamma=gamma), lr, n))
                 for lr, size, gamma, n in STEP_LR]),
        section("ExponentialLRCase", "ExponentialLR", "ExponentialLR(lr, gamma): the rate of epochs 1, 2, …",
                [([literal(lr), literal(gamma)], rates(lambda o: S.ExponentialLR(o, gamma=gamma), lr, n))
                 for lr, gamma, n in EXPONENTIAL_LR]),
        section("CosineAnnealingLRCase", "CosineAnnealingLR",
                "CosineAnnealingLR(lr, T_max, eta_min): the rate of epochs 1, 2, …, past T_max + 1.",
                [([literal(lr), str(t_max), literal(eta_min)],
                  rates(lambda o: S.CosineAnnealingLR(o, T_max=t_max, eta_min=eta_min), lr, n))
                 for lr, t_max, eta_min, n in COSINE_ANNEALING_LR]),
        section("LinearLRCase", "LinearLR",
                "LinearLR(lr, start_factor, end_factor 1, total_iters): the rate of steps 1, 2, …",
                [([literal(lr), literal(start), str(total)],
                  rates(lambda o: S.LinearLR(o, start_factor=start, end_factor=1.0, total_iters=total), lr, n))
                 for lr, start, total, n in LINEAR_LR]),
        section("OneCycleLRCase", "OneCycleLR",
                "OneCycleLR(max_lr, total_steps, pct_start, div_factor, final_div_factor), cosine, two phases: "
                "the rate of steps 1 … total_steps.",
                [([literal(top), str(total), literal(pct), literal(div), literal(final)],
                  rates(lambda o: S.OneCycleLR(o, max_lr=top, total_steps=total, pct_start=pct, anneal_strategy="cos",
                                               cycle_momentum=False, div_factor=div, final_div_factor=final,
                                               three_phase=False), top, total))
                 for top, total, pct, div, final in ONE_CYCLE_LR]),
        section("ReduceLROnPlateauCase", "ReduceLROnPlateau",
                "ReduceLROnPlateau(lr, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr), stepped "
                "after each epoch with that epoch's figure (the second list): the rate of epochs 1, 2, …",
                [([literal(lr), str(mode == "max").lower(), literal(factor), str(patience), literal(threshold),
                   str(mode_of_threshold == "rel").lower(), str(cooldown), literal(min_lr)],
                  values, plateau_rates(lr, mode, factor, patience, threshold, mode_of_threshold, cooldown, min_lr, values))
                 for lr, mode, factor, patience, threshold, mode_of_threshold, cooldown, min_lr, values
                 in REDUCE_LR_ON_PLATEAU]),
    ]
    header = (
        "// <auto-generated>\n"
        "// Learning rates recorded from torch.optim.lr_scheduler (PyTorch 1.13, float64) by\n"
        "//   /usr/bin/python3 tests/PyTorchReference/schedules.py tests/NeuralNets.Tests/Schedules/PyTorchScheduleValues.cs\n"
        "// Each scheduler was stepped once after each optimizer step, as a user steps it. Do not edit by hand: regenerate.\n"
        "// </auto-generated>\n"
        "namespace NeuralNets.Tests.Schedules;\n\n"
        "/// <summary>StepLR's arguments and the rates it gave.</summary>\n"
        "internal sealed record StepLRCase(double Lr, int StepSize, double Gamma, double[] Rates);\n\n"
        "/// <summary>ExponentialLR's arguments and the rates it gave.</summary>\n"
        "internal sealed record ExponentialLRCase(double Lr, double Gamma, double[] Rates);\n\n"
        "/// <summary>CosineAnnealingLR's arguments and the rates it gave.</summary>\n"
        "internal sealed record CosineAnnealingLRCase(double Lr, int TMax, double EtaMin, double[] Rates);\n\n"
        "/// <summary>LinearLR's arguments (end_factor 1) and the rates it gave.</summary>\n"
        "internal sealed record LinearLRCase(double Lr, double StartFactor, int TotalIters, double[] Rates);\n\n"
        "/// <summary>OneCycleLR's arguments (cosine, two phases) and the rates it gave.</summary>\n"
        "internal sealed record OneCycleLRCase(double MaxLr, int TotalSteps, double PctStart, double DivFactor, double FinalDivFactor, double[] Rates);\n\n"
        "/// <summary>ReduceLROnPlateau's arguments, the figure given after each epoch and the rates it gave.</summary>\n"
        "internal sealed record ReduceLROnPlateauCase(double Lr, bool Max, double Factor, int Patience, double Threshold, "
        "bool Relative, int Cooldown, double MinLr, double[] Figures, double[] Rates);\n\n"
        "/// <summary>The recorded configurations, one array per scheduler.</summary>\n"
        "internal static class PyTorchScheduleValues\n{\n"
    )
    text = header + "\n".join(sections) + "}\n"
    with open(path, "w", encoding="utf-8", newline="\n") as output:
        output.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: schedules.py OUTPUT.cs")
    main(sys.argv[1])
