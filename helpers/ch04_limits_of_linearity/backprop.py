"""Chapter 4's networks trained in lockstep, with their gradients written by hand.

Networks of one seed see the same batches in the same order, so they can train together: the
first Linear layers of all of them are rows of one weight matrix (each network's own layer is a
view of its rows), and one matrix product computes them all on the batch, forward and backward.
The rest (BatchNorm, ReLU, dropout, the second layer and the loss) is computed per network, into
buffers allocated once. The update is left to ``torch.optim.Adam``, which finds each gradient in
``p.grad`` as usual.

Each network keeps the semantics it has alone: the initial weights ``torch.manual_seed(seed)``
gives it, dropout masks drawn with ``nn.Dropout``'s own CPU call from the generator state that
network would have alone, and ATen's own BatchNorm kernels in training mode (running statistics
included). ``tests/ch04_limits_of_linearity`` checks every stage against autograd.
"""

from __future__ import annotations

import torch
from torch import nn

from ..softmax import CROSS_ENTROPY


class _Network:
    """One network of the group: its rows of the first layer, and what comes after them."""

    def __init__(
        self, model: nn.Sequential, rows: slice, loss: str, mse_on: str, generator: torch.Generator, batch_size: int
    ):
        layers = list(model)
        known = {nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Dropout}
        linears = [layer for layer in layers if isinstance(layer, nn.Linear)]
        if {type(layer) for layer in layers} - known or len(linears) not in (1, 2) or layers[0] is not linears[0]:
            raise ValueError(f"no hand-written backward for {model}")
        self.model, self.rows, self.loss, self.mse_on = model, rows, loss, mse_on
        self.second = linears[1] if len(linears) == 2 else None
        self.batchnorm = next((layer for layer in layers if isinstance(layer, nn.BatchNorm1d)), None)
        self.relu = any(isinstance(layer, nn.ReLU) for layer in layers)
        dropout = next((layer for layer in layers if isinstance(layer, nn.Dropout)), None)
        self.keep = 1 - dropout.p if dropout else 1.0
        self.generator = generator
        classes = linears[-1].out_features
        self.d_logits = torch.empty(batch_size, classes)
        if self.second is not None:
            hidden = linears[0].out_features
            self.d_hidden, self.mask = torch.empty(batch_size, hidden), torch.empty(batch_size, hidden)
            self.d_relu = torch.empty(batch_size, hidden)

    def forward_backward(self, pre: torch.Tensor, d_pre: torch.Tensor, y: torch.Tensor, targets) -> torch.Tensor:
        """From this network's first-layer outputs ``pre`` to its loss; writes the gradient of
        the loss with respect to ``pre`` into ``d_pre``, and those of the later layers into
        their ``.grad``."""
        if self.second is None:
            return _loss_and_gradient(self, pre, y, targets, d_pre)
        n = len(pre)
        hidden = self._hidden(pre, n)
        logits = torch.addmm(self.second.bias, hidden, self.second.weight.T)
        d_logits = self.d_logits[:n]
        loss = _loss_and_gradient(self, logits, y, targets, d_logits)
        torch.mm(d_logits.T, hidden, out=self.second.weight.grad)
        torch.sum(d_logits, 0, out=self.second.bias.grad)
        d_hidden = torch.mm(d_logits, self.second.weight, out=self.d_hidden[:n])
        if self.keep < 1:
            d_hidden.mul_(self.mask[:n])
        d_relu = d_pre if self.batchnorm is None else self.d_relu[:n]
        if self.relu:
            # ReLU passes the gradient where its output is positive. A dropped unit's output is
            # 0 and its gradient already 0, so the output after dropout serves as well.
            torch.ops.aten.threshold_backward.grad_input(d_hidden, hidden, 0, grad_input=d_relu)
        else:
            d_relu.copy_(d_hidden)
        if self.batchnorm is None:
            return loss
        bn = self.batchnorm
        d_normalised, d_weight, d_bias = torch.ops.aten.native_batch_norm_backward(
            d_relu, pre, bn.weight, bn.running_mean, bn.running_var, *self.saved, True, bn.eps, [True] * 3
        )
        d_pre.copy_(d_normalised)
        bn.weight.grad.copy_(d_weight)
        bn.bias.grad.copy_(d_bias)
        return loss

    def _hidden(self, pre: torch.Tensor, n: int) -> torch.Tensor:
        """The hidden layer's output in training mode (``pre`` itself when nothing copies it)."""
        hidden = pre
        if self.batchnorm is not None:
            bn = self.batchnorm
            hidden, *self.saved = torch.ops.aten.native_batch_norm(
                pre, bn.weight, bn.bias, bn.running_mean, bn.running_var, True, bn.momentum, bn.eps
            )
            bn.num_batches_tracked.add_(1)
        if self.relu:
            hidden.relu_()
        if self.keep < 1:
            # nn.Dropout's CPU computation: Bernoulli(keep) noise of the layer's shape, / keep
            mask = self.mask[:n].bernoulli_(self.keep, generator=self.generator).div_(self.keep)
            hidden.mul_(mask)
        return hidden


def _loss_and_gradient(network: _Network, logits, y, targets, d_logits) -> torch.Tensor:
    """The batch's mean loss (a 0-d tensor); its gradient with respect to ``logits`` goes into
    ``d_logits``. ``targets`` are the batch's one-hot rows."""
    n, classes = logits.shape
    if network.loss == CROSS_ENTROPY:
        log_probabilities = torch.log_softmax(logits, 1)
        loss = log_probabilities.gather(1, y[:, None]).mean().neg()
        torch.exp(log_probabilities, out=d_logits)  # (softmax(o) - y) / n
        d_logits.sub_(targets).div_(n)
        return loss
    # MSE against the one-hot targets, of the probabilities or of the logits themselves
    outputs = torch.softmax(logits, 1) if network.mse_on == "probabilities" else logits
    errors = outputs - targets
    loss = errors.square().mean()
    d_outputs = errors.mul_(2 / (n * classes))
    if network.mse_on != "probabilities":
        d_logits.copy_(d_outputs)
    else:  # through the softmax: p * (g - sum(g * p))
        torch.mul(outputs, d_outputs.sub_((d_outputs * outputs).sum(1, keepdim=True)), out=d_logits)
    return loss


class Lockstep:
    """``step(x, y)``: one batch through every network of ``models``, forward and backward;
    returns their losses (a tensor, one per network) and leaves every gradient in ``.grad``.

    ``models`` are ``nn.Sequential`` networks that :func:`build_model` built (one Linear layer,
    or Linear [-> BatchNorm] [-> ReLU] [-> Dropout] -> Linear); ``losses`` and ``mse_ons`` are
    their :class:`StageConfig`'s; each network's dropout masks come from its ``generators``
    entry. Their first layers become views of one stacked weight matrix until :meth:`release`.
    Batches of at most ``batch_size`` rows reuse the buffers.
    """

    def __init__(
        self,
        models: list[nn.Sequential],
        losses: list[str],
        mse_ons: list[str],
        generators: list[torch.Generator],
        batch_size: int,
    ):
        firsts = [model[0] for model in models]
        inputs = {layer.in_features for layer in firsts}
        if len(inputs) != 1:
            raise ValueError(f"networks in lockstep need the same inputs, not {sorted(inputs)}")
        self.weight = torch.cat([layer.weight.detach() for layer in firsts])
        self.bias = torch.cat([layer.bias.detach() for layer in firsts])
        self.weight.grad, self.bias.grad = torch.zeros_like(self.weight), torch.zeros_like(self.bias)
        self.networks, start = [], 0
        for model, loss, mse_on, generator, layer in zip(models, losses, mse_ons, generators, firsts):
            rows = slice(start, start + layer.out_features)
            start = rows.stop
            for name, stacked in (("weight", self.weight), ("bias", self.bias)):
                view = nn.Parameter(stacked[rows])
                view.grad = stacked.grad[rows]
                setattr(layer, name, view)
            for parameter in list(model.parameters()):
                if parameter.grad is None:
                    parameter.grad = torch.zeros_like(parameter)
            self.networks.append(_Network(model, rows, loss, mse_on, generator, batch_size))
        self.pre = torch.empty(batch_size, start)
        self.d_pre = torch.empty(batch_size, start)
        self.targets = torch.empty(batch_size, models[0][-1].out_features)

    @torch.no_grad()
    def step(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        n = len(x)
        pre = torch.addmm(self.bias, x, self.weight.T, out=self.pre[:n])
        d_pre, targets = self.d_pre[:n], self.targets[:n].zero_().scatter_(1, y[:, None], 1.0)
        losses = [
            network.forward_backward(pre[:, network.rows], d_pre[:, network.rows], y, targets)
            for network in self.networks
        ]
        torch.mm(d_pre.T, x, out=self.weight.grad)
        torch.sum(d_pre, 0, out=self.bias.grad)
        return torch.stack(losses)

    def release(self) -> None:
        """Give every network's first layer its own weights again (a copy of its rows), so that
        a trained model pickles alone; the gradients are dropped."""
        for network in self.networks:
            layer = network.model[0]
            layer.weight = nn.Parameter(layer.weight.detach().clone())
            layer.bias = nn.Parameter(layer.bias.detach().clone())
            for parameter in network.model.parameters():
                parameter.grad = None
