"""Whole training runs of torch.nn networks with torch.optim, step by step, for NeuralNets' training tests.

What it records, from Python PyTorch (1.13, the Debian package python3-torch) in float64, for eighteen networks written the
way PyTorch users write them (nn.Sequential, a loss module, an optimizer, a loop over mini-batches):
  * LectureMlp        Linear-Sigmoid-Linear, CrossEntropyLoss, SGD (the lecture's network);
  * ReluTanhMlpAdam   Linear-ReLU-Linear-Tanh-Linear, CrossEntropyLoss, Adam with L2 weight decay and a StepLR schedule
                      stepped once per epoch;
  * LeNetNesterov     Conv2d (padding 1)-ReLU-MaxPool2d-Conv2d (padding 1)-Tanh-AvgPool2d (padding 1, so
                      count_include_pad counts)-Flatten-Linear-ReLU-Linear, CrossEntropyLoss, SGD with Nesterov momentum
                      and weight decay;
  * BatchNormCnnAdamW Conv2d-Tanh-BatchNorm2d-ReLU-Conv2d-ReLU-MaxPool2d-Flatten-Linear-Tanh-BatchNorm1d-ReLU-Linear in
                      training mode, CrossEntropyLoss, AdamW. An activation stands between each layer and the BatchNorm
                      after it: a bias straight before a BatchNorm has a gradient of zero in exact arithmetic (the
                      normalisation subtracts it again), so the computed one is rounding noise (some 1e-17), which
                      Adam-like rules divide by sqrt(v) + eps and so magnify to lr * g / (|g| + eps); two correct
                      libraries part there by 1e-10 after one step (measured with Conv2d-BatchNorm2d, Linear-BatchNorm1d),
                      a difference of noise, not of definitions;
  * DecoderMomentum   Linear-SiLU-Unflatten-ConvTranspose2d (stride 2, output_padding 1)-GELU-ConvTranspose2d, MSELoss,
                      SGD with momentum and a StepLR schedule stepped once per epoch (PyTorch's momentum_buffer b
                      carries over a change of rate as it is; NeuralNets' Momentum keeps v = lr * b, see the tests);
  * BceMlpRmsProp     Linear-ELU-Linear-LeakyReLU-Linear-Softplus-Linear, BCEWithLogitsLoss on 0/1 labels, RMSprop with
                      momentum;
  * BiasFreeCnnAdam   Conv2d(bias=False)-BatchNorm2d-ReLU-Conv2d(bias=False)-BatchNorm2d-ReLU-MaxPool2d-Flatten-
                      Linear(bias=False)-BatchNorm1d-ReLU-Linear(bias=False)-Tanh-Linear, CrossEntropyLoss, Adam with L2
                      weight decay: the ResNet way, each layer straight before a BatchNorm without a bias (so no gradient
                      of rounding noise for Adam to magnify, as the BatchNorm run above must avoid);
  * BiasFreeDecoder   Linear(bias=False)-BatchNorm1d-SiLU-Unflatten-ConvTranspose2d(bias=False)-BatchNorm2d-GELU-
                      ConvTranspose2d, MSELoss, SGD with momentum;
  * MnistExampleAdadelta pytorch/examples' mnist/main.py scaled down (4 and 8 channels for 32 and 64, 12x12 images for
                      28x28, Linear(128, 16) for Linear(9216, 128)): Conv2d-ReLU-Conv2d-ReLU-MaxPool2d-Dropout-Flatten-
                      Linear-ReLU-Dropout-Linear-LogSoftmax, NLLLoss (the example's log_softmax then nll_loss), Adadelta(lr=1)
                      and StepLR(step_size=1, gamma=0.7) stepped once per epoch, as the example trains; its dropouts have
                      p = 0, since no two libraries draw the same masks.
  * PReluMlpAdam      Linear-PReLU(8)-Linear-PReLU()-Linear, CrossEntropyLoss, Adam: learnt slopes, one per feature and
                      one for all;
  * PReluCnnMomentum  Conv2d-PReLU(4)-MaxPool2d-Conv2d-PReLU()-Flatten-Linear-PReLU(6)-Linear, CrossEntropyLoss, SGD with
                      momentum: one slope per channel of images, one for all, one per feature.
  * TinyResNetMomentum Conv2d(bias=False)-BatchNorm2d-ReLU stem, a BasicBlock with the identity shortcut and one with a
                      strided 1x1 projection (torchvision's downsample), each followed by ReLU, AdaptiveAvgPool2d(1)-
                      Flatten-Linear, CrossEntropyLoss, SGD with momentum: residual blocks (body(x) + shortcut(x)).
  * FcnPixelsMomentum  a tiny fully-convolutional per-pixel classifier, Conv2d(padding 1)-ReLU-Conv2d 1x1 to 3 classes,
                      CrossEntropyLoss on [N, 3, 6, 6] logits against [N, 6, 6] labels, SGD with momentum;
  * FcnIgnoredPixelsAdam the same network, CrossEntropyLoss(weight, label_smoothing, ignore_index=-100) with some
                      pixels' labels -100, Adam;
  * FcnLogSoftmaxNllAdam the same network then LogSoftmax(dim=1), NLLLoss(weight, ignore_index=255) with some pixels 255, Adam.
  * LayerNormMlpAdam  Linear-LayerNorm(8)-Tanh-Linear-LayerNorm(6, elementwise_affine=False)-ReLU-Linear,
                      CrossEntropyLoss, Adam: each sample normalised over its features, with and without gamma and beta;
  * LayerNormCnnMomentum Conv2d-LayerNorm([4, 6, 6])-ReLU-MaxPool2d-Conv2d-LayerNorm([4, 3, 3])-Tanh-Flatten-Linear,
                      CrossEntropyLoss, SGD with momentum: each image normalised over [C, H, W];
  * DepthwiseSeparableAdam MobileNet's block, a depthwise Conv2d (groups = channels)-ReLU then a pointwise 1x1 Conv2d-ReLU,
                      a Conv2d in two groups (stride 2)-Tanh, a depthwise Conv2d with two filters per channel and no bias,
                      Flatten-Linear, CrossEntropyLoss, Adam.
Each trains on 22 samples in their order, in batches of 6 (6, 6, 6 and a last one of 4), for several epochs: each step
zeroes the gradients, runs the batch forward in training mode, takes the loss (the mean over the batch), runs backward
and steps the optimizer. After every step it records the loss the step's forward pass gave and a digest of every
parameter (model.parameters() order): all values of a tensor of at most 8, otherwise the elements at 0, n//2 and n-1, the
sum and the sum of squares (both math.fsum, so correctly rounded). After every epoch it records the loss of a
held-out batch of 5 in eval mode (and goes back to training mode); at the end, the held-out batch's eval-mode output and
each BatchNorm's running mean, running variance and num_batches_tracked (depth first, as model.modules() lists them).

Weights and data come from Wave(count, offset, scale) = scale * sin(0.7 * (i + offset) + 0.3) (GoldenInputs.Wave), so no
random generator has to agree. With O the run's offset and k the index of a parameter in model.parameters():
  parameter k   a LayerNorm's weight and bias, whatever their rank: as a BatchNorm's gamma and beta below;
                rank >= 2: Wave(n, O + 50k, 1/sqrt(n / shape[0])); a PReLU's slopes: 0.25 + Wave(n, O + 50k, 0.2);
                another rank-1 weight (a BatchNorm's gamma): 1 + Wave(n, O + 50k, 0.2); any other rank-1 tensor
                (biases, beta): Wave(n, O + 50k, 0.1)
  features      Wave(27 * size, O + 700, 1), sample after sample: samples 0...21 train, 22...26 are held out
  class labels  (7i + i // 3) mod C for sample i
  MSE targets   Wave(27 * size, O + 1500, 0.5), split as the features
  BCE labels    (7i + 3j + i // 3) mod 2 for output j of sample i
  pixel labels  (7i + 3j + i // 3) mod C for pixel j of sample i (row-major), or the ignored label where (i + 2j) mod 7 = 0
The same rules are written out in tests/NeuralNets.Tests/Integration/PyTorchTrainingCases.cs.

Rerun (from the repository root; the output is the same bytes on every run):
    /usr/bin/python3 tests/PyTorchReference/training_runs.py tests/NeuralNets.Tests/Integration/PyTorchTrainingValues.cs
"""

import math
import sys

import torch
from torch import nn
from golden import wave, literal

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

SAMPLES = 22       # training samples
BATCH = 6          # batch size: batches of 6, 6, 6 and 4
HELD_OUT = 5       # held-out samples, one eval-mode batch
DIGEST_ALL = 8     # tensors of at most this many values are recorded whole


def class_labels(first, count, classes):
    return [(7 * i + i // 3) % classes for i in range(first, first + count)]


def binary_labels(first, count, outputs):
    return [float((7 * i + 3 * j + i // 3) % 2) for i in range(first, first + count) for j in range(outputs)]


def pixel_labels(first, count, classes, pixels, ignored):
    return [ignored if ignored is not None and (i + 2 * j) % 7 == 0 else (7 * i + 3 * j + i // 3) % classes
            for i in range(first, first + count) for j in range(pixels)]


def initialise(model, offset):
    """Every parameter from Wave, by the rule in the docstring."""
    slopes = {name + ".weight" for name, module in model.named_modules() if isinstance(module, nn.PReLU)}
    layer_norms = {name + "." + p for name, module in model.named_modules() if isinstance(module, nn.LayerNorm) for p in ("weight", "bias")}
    with torch.no_grad():
        for k, (name, p) in enumerate(model.named_parameters()):
            n = p.numel()
            if p.dim() >= 2 and name not in layer_norms:
                values = wave(n, offset + 50 * k, 1 / math.sqrt(n / p.shape[0]))
            elif name in slopes:
                values = [0.25 + v for v in wave(n, offset + 50 * k, 0.2)]
            elif name.endswith("weight"):
                values = [1 + v for v in wave(n, offset + 50 * k, 0.2)]
            else:
                values = wave(n, offset + 50 * k, 0.1)
            p.copy_(torch.tensor(values).reshape(p.shape))


def digest(model):
    """The parameters' digest after a step, as the docstring describes."""
    values = []
    for p in model.parameters():
        flat = p.detach().reshape(-1).tolist()
        n = len(flat)
        if n <= DIGEST_ALL:
            values += flat
        else:
            values += [flat[0], flat[n // 2], flat[n - 1], math.fsum(flat), math.fsum(v * v for v in flat)]
    return values


class Run:
    """One network, its loss, optimizer, schedule and data, and what training it records."""

    def __init__(self, name, description, offset, sample_shape, model, loss, make_optimizer, epochs, target,
                 make_schedule=None):
        self.name, self.description, self.offset, self.epochs = name, description, offset, epochs
        self.model, self.loss = model, loss
        initialise(model, offset)
        self.optimizer = make_optimizer(model.parameters())
        self.schedule = make_schedule(self.optimizer) if make_schedule else None
        size = math.prod(sample_shape)
        x = torch.tensor(wave((SAMPLES + HELD_OUT) * size, offset + 700, 1.0)).reshape(SAMPLES + HELD_OUT, *sample_shape)
        self.x, self.x_held_out = x[:SAMPLES], x[SAMPLES:]
        kind, count = target
        if kind == "classes":
            self.y = torch.tensor(class_labels(0, SAMPLES, count))
            self.y_held_out = torch.tensor(class_labels(SAMPLES, HELD_OUT, count))
        elif kind == "pixels":
            classes, shape, ignored = count
            pixels = math.prod(shape)
            self.y = torch.tensor(pixel_labels(0, SAMPLES, classes, pixels, ignored)).reshape(SAMPLES, *shape)
            self.y_held_out = torch.tensor(pixel_labels(SAMPLES, HELD_OUT, classes, pixels, ignored)).reshape(HELD_OUT, *shape)
        elif kind == "binary":
            self.y = torch.tensor(binary_labels(0, SAMPLES, count)).reshape(SAMPLES, count)
            self.y_held_out = torch.tensor(binary_labels(SAMPLES, HELD_OUT, count)).reshape(HELD_OUT, count)
        else:
            shape = count
            size = math.prod(shape)
            y = torch.tensor(wave((SAMPLES + HELD_OUT) * size, offset + 1500, 0.5)).reshape(SAMPLES + HELD_OUT, *shape)
            self.y, self.y_held_out = y[:SAMPLES], y[SAMPLES:]

    def train(self):
        self.losses, self.digests, self.held_out_losses = [], [], []
        self.model.train()
        for _ in range(self.epochs):
            for start in range(0, SAMPLES, BATCH):
                self.optimizer.zero_grad()
                output = self.model(self.x[start:start + BATCH])
                loss = self.loss(output, self.y[start:start + BATCH])
                loss.backward()
                self.optimizer.step()
                self.losses.append(loss.item())
                self.digests += digest(self.model)
            self.model.eval()
            with torch.no_grad():
                self.held_out_losses.append(self.loss(self.model(self.x_held_out), self.y_held_out).item())
            self.model.train()
            if self.schedule is not None:
                self.schedule.step()
        self.model.eval()
        with torch.no_grad():
            self.held_out_output = self.model(self.x_held_out).reshape(-1).tolist()
        self.running, self.tracked = [], []
        for layer in self.model.modules():  # depth first: a residual block's body, then its shortcut
            if isinstance(layer, nn.modules.batchnorm._BatchNorm):
                self.running += layer.running_mean.tolist() + layer.running_var.tolist()
                self.tracked.append(int(layer.num_batches_tracked))
        return self


class Residual(nn.Module):
    """body(x) + x, or body(x) + shortcut(x): a BasicBlock without its final ReLU, which the network applies after it."""

    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body, self.shortcut = body, shortcut

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


def basic_block(inplanes, planes, stride=1):
    """torchvision's BasicBlock: conv-bn-relu-conv-bn, with a 1x1 strided conv and a BatchNorm as the shortcut where the shape changes."""
    body = nn.Sequential(nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(planes), nn.ReLU(),
                         nn.Conv2d(planes, planes, 3, padding=1, bias=False), nn.BatchNorm2d(planes))
    if stride == 1 and inplanes == planes:
        return Residual(body)
    return Residual(body, nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes)))


def runs():
    return [
        Run("LectureMlp", "Linear(4, 6), Sigmoid, Linear(6, 3); CrossEntropyLoss; SGD(lr=0.5); 4 epochs",
            0, [4], nn.Sequential(nn.Linear(4, 6), nn.Sigmoid(), nn.Linear(6, 3)), nn.CrossEntropyLoss(),
            lambda p: torch.optim.SGD(p, lr=0.5), 4, ("classes", 3)),
        Run("ReluTanhMlpAdam", "Linear(6, 10), ReLU, Linear(10, 8), Tanh, Linear(8, 4); CrossEntropyLoss; "
            "Adam(lr=0.02, weight_decay=0.01) with StepLR(step_size=1, gamma=0.7) stepped after each epoch; 4 epochs",
            10000, [6], nn.Sequential(nn.Linear(6, 10), nn.ReLU(), nn.Linear(10, 8), nn.Tanh(), nn.Linear(8, 4)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.Adam(p, lr=0.02, weight_decay=0.01), 4, ("classes", 4),
            lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=1, gamma=0.7)),
        Run("LeNetNesterov", "[1, 8, 8] images: Conv2d(1, 4, 3, padding=1), ReLU, MaxPool2d(2), Conv2d(4, 6, 3, padding=1), "
            "Tanh, AvgPool2d(2, padding=1), Flatten, Linear(54, 10), ReLU, Linear(10, 3); CrossEntropyLoss; "
            "SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001); 3 epochs",
            20000, [1, 8, 8],
            nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 6, 3, padding=1),
                          nn.Tanh(), nn.AvgPool2d(2, padding=1), nn.Flatten(), nn.Linear(54, 10), nn.ReLU(),
                          nn.Linear(10, 3)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001),
            3, ("classes", 3)),
        Run("BatchNormCnnAdamW", "[2, 6, 6] images: Conv2d(2, 4, 3, padding=1), Tanh, BatchNorm2d(4), ReLU, "
            "Conv2d(4, 4, 3, padding=1), ReLU, MaxPool2d(2), Flatten, Linear(36, 8), Tanh, BatchNorm1d(8), ReLU, "
            "Linear(8, 3); "
            "CrossEntropyLoss; AdamW(lr=0.01, weight_decay=0.05); 3 epochs",
            30000, [2, 6, 6],
            nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.Tanh(), nn.BatchNorm2d(4), nn.ReLU(),
                          nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(36, 8),
                          nn.Tanh(), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.05), 3, ("classes", 3)),
        Run("DecoderMomentum", "Linear(4, 18), SiLU, Unflatten(1, (2, 3, 3)), "
            "ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1), GELU, ConvTranspose2d(3, 1, 3, padding=1); "
            "MSELoss against [1, 6, 6] targets; SGD(lr=0.05, momentum=0.9) with StepLR(step_size=1, gamma=0.5) stepped "
            "after each epoch; 3 epochs",
            40000, [4],
            nn.Sequential(nn.Linear(4, 18), nn.SiLU(), nn.Unflatten(1, (2, 3, 3)),
                          nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1), nn.GELU(),
                          nn.ConvTranspose2d(3, 1, 3, padding=1)),
            nn.MSELoss(), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), 3, ("values", [1, 6, 6]),
            lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=1, gamma=0.5)),
        Run("BceMlpRmsProp", "Linear(5, 8), ELU, Linear(8, 8), LeakyReLU(0.1), Linear(8, 6), Softplus, Linear(6, 3); "
            "BCEWithLogitsLoss on 0/1 labels; RMSprop(lr=0.01, momentum=0.5); 3 epochs",
            50000, [5],
            nn.Sequential(nn.Linear(5, 8), nn.ELU(), nn.Linear(8, 8), nn.LeakyReLU(0.1), nn.Linear(8, 6), nn.Softplus(),
                          nn.Linear(6, 3)),
            nn.BCEWithLogitsLoss(), lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5), 3, ("binary", 3)),
        Run("BiasFreeCnnAdam", "[2, 6, 6] images: Conv2d(2, 4, 3, padding=1, bias=False), BatchNorm2d(4), ReLU, "
            "Conv2d(4, 4, 3, padding=1, bias=False), BatchNorm2d(4), ReLU, MaxPool2d(2), Flatten, Linear(36, 8, bias=False), "
            "BatchNorm1d(8), ReLU, Linear(8, 6, bias=False), Tanh, Linear(6, 3); "
            "CrossEntropyLoss; Adam(lr=0.01, weight_decay=0.01); 3 epochs",
            60000, [2, 6, 6],
            nn.Sequential(nn.Conv2d(2, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
                          nn.Conv2d(4, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(36, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU(),
                          nn.Linear(8, 6, bias=False), nn.Tanh(), nn.Linear(6, 3)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.01), 3, ("classes", 3)),
        Run("BiasFreeDecoder", "Linear(4, 18, bias=False), BatchNorm1d(18), SiLU, Unflatten(1, (2, 3, 3)), "
            "ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1, bias=False), BatchNorm2d(3), GELU, "
            "ConvTranspose2d(3, 1, 3, padding=1); MSELoss against [1, 6, 6] targets; SGD(lr=0.05, momentum=0.9); 3 epochs",
            70000, [4],
            nn.Sequential(nn.Linear(4, 18, bias=False), nn.BatchNorm1d(18), nn.SiLU(), nn.Unflatten(1, (2, 3, 3)),
                          nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1, bias=False),
                          nn.BatchNorm2d(3), nn.GELU(), nn.ConvTranspose2d(3, 1, 3, padding=1)),
            nn.MSELoss(), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), 3, ("values", [1, 6, 6])),
        Run("MnistExampleAdadelta", "[1, 12, 12] images: Conv2d(1, 4, 3, 1), ReLU, Conv2d(4, 8, 3, 1), ReLU, MaxPool2d(2), "
            "Dropout(0), Flatten, Linear(128, 16), ReLU, Dropout(0), Linear(16, 10), LogSoftmax(dim=1); NLLLoss; "
            "Adadelta(lr=1.0) with StepLR(step_size=1, gamma=0.7) stepped after each epoch; 3 epochs",
            80000, [1, 12, 12],
            nn.Sequential(nn.Conv2d(1, 4, 3, 1), nn.ReLU(), nn.Conv2d(4, 8, 3, 1), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.0),
                          nn.Flatten(), nn.Linear(128, 16), nn.ReLU(), nn.Dropout(0.0), nn.Linear(16, 10),
                          nn.LogSoftmax(dim=1)),
            nn.NLLLoss(), lambda p: torch.optim.Adadelta(p, lr=1.0), 3, ("classes", 10),
            lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=1, gamma=0.7)),
        Run("PReluMlpAdam", "Linear(5, 8), PReLU(8), Linear(8, 6), PReLU(), Linear(6, 3); CrossEntropyLoss; Adam(lr=0.02); "
            "4 epochs",
            80000, [5], nn.Sequential(nn.Linear(5, 8), nn.PReLU(8), nn.Linear(8, 6), nn.PReLU(), nn.Linear(6, 3)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.Adam(p, lr=0.02), 4, ("classes", 3)),
        Run("PReluCnnMomentum", "[2, 6, 6] images: Conv2d(2, 4, 3, padding=1), PReLU(4), MaxPool2d(2), "
            "Conv2d(4, 4, 3, padding=1), PReLU(), Flatten, Linear(36, 6), PReLU(6), Linear(6, 3); CrossEntropyLoss; "
            "SGD(lr=0.05, momentum=0.9); 3 epochs",
            90000, [2, 6, 6],
            nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.PReLU(4), nn.MaxPool2d(2), nn.Conv2d(4, 4, 3, padding=1),
                          nn.PReLU(), nn.Flatten(), nn.Linear(36, 6), nn.PReLU(6), nn.Linear(6, 3)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), 3, ("classes", 3)),
        Run("TinyResNetMomentum", "[2, 6, 6] images: Conv2d(2, 4, 3, padding=1, bias=False), BatchNorm2d(4), ReLU, "
            "BasicBlock(4, 4) (identity shortcut), ReLU, BasicBlock(4, 6, stride=2) (shortcut Conv2d(4, 6, 1, stride=2, "
            "bias=False), BatchNorm2d(6)), ReLU, AdaptiveAvgPool2d(1), Flatten, Linear(6, 3); CrossEntropyLoss; "
            "SGD(lr=0.05, momentum=0.9); 3 epochs",
            100000, [2, 6, 6],
            nn.Sequential(nn.Conv2d(2, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), basic_block(4, 4), nn.ReLU(),
                          basic_block(4, 6, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 3)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), 3, ("classes", 3)),
        Run("FcnPixelsMomentum", "[2, 6, 6] images, a class per pixel: Conv2d(2, 4, 3, padding=1), ReLU, Conv2d(4, 3, 1); "
            "CrossEntropyLoss on [N, 3, 6, 6] against [N, 6, 6]; SGD(lr=0.1, momentum=0.9); 3 epochs",
            110000, [2, 6, 6], nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 3, 1)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 3, ("pixels", (3, [6, 6], None))),
        Run("FcnIgnoredPixelsAdam", "[2, 6, 6] images, a class per pixel, some -100: Conv2d(2, 4, 3, padding=1), ReLU, "
            "Conv2d(4, 3, 1); CrossEntropyLoss(weight=[1, 2, 0.5], label_smoothing=0.1, ignore_index=-100); Adam(lr=0.02); "
            "3 epochs",
            120000, [2, 6, 6], nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 3, 1)),
            nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]), label_smoothing=0.1, ignore_index=-100),
            lambda p: torch.optim.Adam(p, lr=0.02), 3, ("pixels", (3, [6, 6], -100))),
        Run("FcnLogSoftmaxNllAdam", "[2, 6, 6] images, a class per pixel, some 255: Conv2d(2, 4, 3, padding=1), ReLU, "
            "Conv2d(4, 3, 1), LogSoftmax(dim=1); NLLLoss(weight=[0.5, 1, 2], ignore_index=255); Adam(lr=0.02); 3 epochs",
            130000, [2, 6, 6], nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 3, 1), nn.LogSoftmax(dim=1)),
            nn.NLLLoss(weight=torch.tensor([0.5, 1.0, 2.0]), ignore_index=255),
            lambda p: torch.optim.Adam(p, lr=0.02), 3, ("pixels", (3, [6, 6], 255))),
        Run("LayerNormMlpAdam", "Linear(5, 8), LayerNorm(8), Tanh, Linear(8, 6), LayerNorm(6, elementwise_affine=False), ReLU, "
            "Linear(6, 3); CrossEntropyLoss; Adam(lr=0.02); 4 epochs",
            140000, [5],
            nn.Sequential(nn.Linear(5, 8), nn.LayerNorm(8), nn.Tanh(), nn.Linear(8, 6), nn.LayerNorm(6, elementwise_affine=False),
                          nn.ReLU(), nn.Linear(6, 3)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.Adam(p, lr=0.02), 4, ("classes", 3)),
        Run("LayerNormCnnMomentum", "[2, 6, 6] images: Conv2d(2, 4, 3, padding=1), LayerNorm([4, 6, 6]), ReLU, MaxPool2d(2), "
            "Conv2d(4, 4, 3, padding=1), LayerNorm([4, 3, 3]), Tanh, Flatten, Linear(36, 3); CrossEntropyLoss; "
            "SGD(lr=0.05, momentum=0.9); 3 epochs",
            150000, [2, 6, 6],
            nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.LayerNorm([4, 6, 6]), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(4, 4, 3, padding=1), nn.LayerNorm([4, 3, 3]), nn.Tanh(), nn.Flatten(), nn.Linear(36, 3)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), 3, ("classes", 3)),
        Run("DepthwiseSeparableAdam", "[4, 6, 6] images: Conv2d(4, 4, 3, padding=1, groups=4), ReLU, Conv2d(4, 8, 1), ReLU, "
            "Conv2d(8, 8, 3, stride=2, padding=1, groups=2), Tanh, Conv2d(8, 16, 3, groups=8, bias=False), Flatten, "
            "Linear(16, 3); CrossEntropyLoss; Adam(lr=0.01); 3 epochs",
            160000, [4, 6, 6],
            nn.Sequential(nn.Conv2d(4, 4, 3, padding=1, groups=4), nn.ReLU(), nn.Conv2d(4, 8, 1), nn.ReLU(),
                          nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=2), nn.Tanh(),
                          nn.Conv2d(8, 16, 3, groups=8, bias=False), nn.Flatten(), nn.Linear(16, 3)),
            nn.CrossEntropyLoss(), lambda p: torch.optim.Adam(p, lr=0.01), 3, ("classes", 3)),
    ]


def array(values, per_line=6, indent=" " * 12):
    if not values:
        return "[]"
    lines = [indent + ", ".join(literal(v) for v in values[start:start + per_line]) + ","
             for start in range(0, len(values), per_line)]
    return "[\n" + "\n".join(lines) + "\n" + indent[:-4] + "]"


def run_text(run):
    steps = len(run.losses)
    return "\n".join([
        f"    // {run.description}: {steps} steps.",
        f"    public static readonly PyTorchTrainingRun {run.name} = new(",
        f"        Losses: {array(run.losses)},",
        f"        Digests: {array(run.digests)},",
        f"        HeldOutLosses: {array(run.held_out_losses)},",
        f"        HeldOutOutput: {array(run.held_out_output)},",
        f"        RunningStatistics: {array(run.running)},",
        f"        BatchesTracked: [{', '.join(str(t) for t in run.tracked)}]);",
    ])


def main(path):
    version = ".".join(torch.__version__.split(".")[:2])
    header = [
        "// <auto-generated>",
        f"// Generated by tests/PyTorchReference/training_runs.py from Python PyTorch {version} (torch.nn, torch.optim) in float64:",
        "//   /usr/bin/python3 tests/PyTorchReference/training_runs.py tests/NeuralNets.Tests/Integration/PyTorchTrainingValues.cs",
        "// Weights and data are GoldenInputs.Wave(count, offset, scale) = scale·sin(0.7·(i + offset) + 0.3) by the rules of",
        "// the script's docstring. Do not edit by hand: regenerate.",
        "// </auto-generated>",
        "namespace NeuralNets.Tests.Integration;",
        "",
        "/// <summary>",
        "/// One run as PyTorch went: the loss of every step's batch; after every step the digest of every parameter (all of a",
        "/// tensor of at most 8 values, else the elements at 0, n/2 and n − 1, the sum and the sum of squares, correctly",
        "/// rounded); the held-out batch's eval-mode loss after every epoch; at the end its eval-mode output, each BatchNorm's",
        "/// running mean then running variance, and num_batches_tracked.",
        "/// </summary>",
        "internal sealed record PyTorchTrainingRun(",
        "    double[] Losses, double[] Digests, double[] HeldOutLosses, double[] HeldOutOutput, double[] RunningStatistics, long[] BatchesTracked);",
        "",
        "/// <summary>Training runs recorded from Python PyTorch, step by step; PyTorchTrainingTests repeats them in NeuralNets.</summary>",
        "internal static class PyTorchTrainingValues",
        "{",
    ]
    recorded = [run.train() for run in runs()]
    body = "\n\n".join(run_text(run) for run in recorded)
    body += ("\n\n    /// <summary>The runs above, by name.</summary>\n"
             "    public static readonly IReadOnlyDictionary<string, PyTorchTrainingRun> Runs = new Dictionary<string, PyTorchTrainingRun>\n    {\n"
             + "".join(f"        [nameof({run.name})] = {run.name},\n" for run in recorded) + "    };")
    with open(path, "w", encoding="utf-8", newline="\n") as output:
        output.write("\n".join(header) + "\n" + body + "\n}\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: training_runs.py OUTPUT.cs")
    main(sys.argv[1])
