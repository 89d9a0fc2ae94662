/* Chapter 1's network, trained in the reader's browser: the training module.
 *
 * The same network, loss and update as helpers/ch01_regression_argmax/net.py, written out in
 * plain JavaScript so that a slider can retrain it on every move, with no kernel and no library:
 *
 *   network   x -> h = tanh(W1 x + b1) -> o = W2 h + b2: one input, `hidden` tanh units and
 *             the chapter's three logits
 *   loss      the mean over the N points and 3 logits of (o - one-hot target)^2 (MSE)
 *   update    full-batch gradient descent with Nesterov momentum, as torch.optim.SGD(nesterov=True) takes it:
 *               v <- momentum * v + g;   w <- w - lr * (g + momentum * v)
 *
 * The parameters live in one flat vector, in the order of Python's `flatten`: W1 (hidden x 1),
 * b1 (hidden), W2 (3 x hidden, row by row), b2 (3). JavaScript computes in float64, so the
 * browser tests compare it with a float64 run of the Python formulas, which
 * helpers/ch01_regression_argmax/live_training.py exports with the data.
 *
 * Speed is the point (a retrain per slider move): 200 epochs x 300 points take ~8 ms. The three
 * logits are written out as three variables rather than a loop over classes (that alone halves
 * the time), and tanh is computed from one exp, which is faster than Math.tanh in V8.
 */
(function (liveTraining) {
  "use strict";

  /* A loss beyond the largest float32 is where the chapter's Python trainer, which computes in
   * float32, overflows and reports divergence. In float64 the same run could go on growing for
   * many more epochs (up to 1.8e308) before it overflowed, so the same line is drawn here. */
  var LARGEST_LOSS = 3.4028234663852886e38;

  /* tanh(z) = 1 - 2 / (exp(2z) + 1): within 4e-16 of Math.tanh, and exp(2z) = Infinity or 0 gives
   * exactly 1 or -1 for large |z|. */
  function tanh(z) {
    return 1 - 2 / (Math.exp(2 * z) + 1);
  }

  /* The number of parameters of a network with `hidden` tanh units and three logits. */
  function parameterCount(hidden) {
    return 5 * hidden + 3;
  }

  /* Train from `data.theta0` for `epochs` full-batch steps at (lr, momentum).
   *
   * `data` holds `x` (the N inputs), `y` (their classes, 0..2), `hidden` and `theta0` (the initial
   * parameters). Returns what every epoch looked like (index e: after e steps; 0 is the initial
   * network):
   *   params      Float64Array((epochs + 1) * size): the parameters after each epoch
   *   loss        Float64Array(epochs + 1): the training MSE
   *   accuracy    Float64Array(epochs + 1): the share of the training points whose largest logit
   *               is their class's (the first of equal logits wins, as in numpy's argmax)
   *   divergedAt  the first epoch whose loss is not a number below LARGEST_LOSS, or -1. Training
   *               stops there, and the arrays hold NaN from that epoch on.
   */
  function train(data, lr, momentum, epochs) {
    var H = data.hidden, x = data.x, y = data.y, N = x.length;
    var size = parameterCount(H), W2 = 2 * H, B2 = 5 * H; // offsets of W2's rows and of b2
    var theta = Float64Array.from(data.theta0);
    var velocity = new Float64Array(size), grad = new Float64Array(size), h = new Float64Array(H);
    var params = new Float64Array((epochs + 1) * size).fill(NaN);
    var loss = new Float64Array(epochs + 1).fill(NaN);
    var accuracy = new Float64Array(epochs + 1).fill(NaN);
    var scale = 2 / (N * 3); // d(mean of the squares) / d(logit) = 2 (logit - target) / (3N)
    var divergedAt = -1;

    for (var epoch = 0; epoch <= epochs; epoch++) {
      params.set(theta, epoch * size);
      grad.fill(0);
      var squares = 0, correct = 0;
      for (var i = 0; i < N; i++) {
        var xi = x[i], yi = y[i], j, a;
        // forward: the hidden activations and the three logits
        var o0 = theta[B2], o1 = theta[B2 + 1], o2 = theta[B2 + 2];
        for (j = 0; j < H; j++) {
          a = tanh(theta[j] * xi + theta[H + j]);
          h[j] = a;
          o0 += theta[W2 + j] * a;
          o1 += theta[W2 + H + j] * a;
          o2 += theta[W2 + 2 * H + j] * a;
        }
        var predicted = o1 > o0 ? (o2 > o1 ? 2 : 1) : o2 > o0 ? 2 : 0;
        if (predicted === yi) correct++;
        // the loss, and its gradient with respect to each logit
        var d0 = o0 - (yi === 0 ? 1 : 0), d1 = o1 - (yi === 1 ? 1 : 0), d2 = o2 - (yi === 2 ? 1 : 0);
        squares += d0 * d0 + d1 * d1 + d2 * d2;
        d0 *= scale;
        d1 *= scale;
        d2 *= scale;
        // backward: into the second layer, then through tanh (tanh' = 1 - tanh^2) into the first
        grad[B2] += d0;
        grad[B2 + 1] += d1;
        grad[B2 + 2] += d2;
        for (j = 0; j < H; j++) {
          a = h[j];
          grad[W2 + j] += d0 * a;
          grad[W2 + H + j] += d1 * a;
          grad[W2 + 2 * H + j] += d2 * a;
          var pre = (d0 * theta[W2 + j] + d1 * theta[W2 + H + j] + d2 * theta[W2 + 2 * H + j]) * (1 - a * a);
          grad[j] += pre * xi;
          grad[H + j] += pre;
        }
      }
      loss[epoch] = squares / (N * 3);
      accuracy[epoch] = correct / N;
      if (!(loss[epoch] < LARGEST_LOSS)) {
        divergedAt = epoch;
        params.fill(NaN, epoch * size);
        loss[epoch] = accuracy[epoch] = NaN;
        break;
      }
      if (epoch === epochs) break;
      // Nesterov momentum, in torch.optim.SGD's order of operations
      for (var p = 0; p < size; p++) {
        velocity[p] = momentum * velocity[p] + grad[p];
        theta[p] -= lr * (grad[p] + momentum * velocity[p]);
      }
    }
    return {
      lr: lr,
      momentum: momentum,
      epochs: epochs,
      hidden: H,
      size: size,
      params: params,
      loss: loss,
      accuracy: accuracy,
      divergedAt: divergedAt,
    };
  }

  /* The three logits (inputs.length x 3, row by row) of a run's network after `epoch` epochs. */
  function logitsAt(run, epoch, inputs) {
    var H = run.hidden, theta = run.params.subarray(epoch * run.size, (epoch + 1) * run.size);
    var out = new Float64Array(3 * inputs.length), h = new Float64Array(H);
    for (var n = 0; n < inputs.length; n++) {
      for (var j = 0; j < H; j++) h[j] = tanh(theta[j] * inputs[n] + theta[H + j]);
      for (var k = 0; k < 3; k++) {
        var o = theta[5 * H + k];
        for (j = 0; j < H; j++) o += theta[2 * H + k * H + j] * h[j];
        out[3 * n + k] = o;
      }
    }
    return out;
  }

  /* The class with the largest of the three logits in row `n` (the first one on a tie). */
  function winner(logits, n) {
    var o0 = logits[3 * n], o1 = logits[3 * n + 1], o2 = logits[3 * n + 2];
    return o1 > o0 ? (o2 > o1 ? 2 : 1) : o2 > o0 ? 2 : 0;
  }

  /* Maximal intervals of `grid` where one class has the largest logit, as [start, end, class],
   * the ends halfway between the grid points where the winner changes (as argmax_regions in
   * helpers/ch01_regression_argmax/figures.py). */
  function argmaxRegions(grid, logits) {
    var regions = [], start = grid[0], current = winner(logits, 0);
    for (var g = 1; g < grid.length; g++) {
      var next = winner(logits, g);
      if (next !== current) {
        var edge = (grid[g - 1] + grid[g]) / 2;
        regions.push([start, edge, current]);
        start = edge;
        current = next;
      }
    }
    regions.push([start, grid[grid.length - 1], current]);
    return regions;
  }

  liveTraining.LARGEST_LOSS = LARGEST_LOSS;
  liveTraining.train = train;
  liveTraining.logitsAt = logitsAt;
  liveTraining.argmaxRegions = argmaxRegions;
})(typeof window === "undefined" ? module.exports : (window.liveTraining = window.liveTraining || {}));
