/* Chapter 1's network, trained in the reader's browser: the drawing module.
 *
 * One <canvas> with three panels, laid out like the chapter's matplotlib figures
 * (helpers/ch01_regression_argmax/figures.py):
 *   top           the three logit curves over the input line, the argmax regions shaded in the
 *                 colour of the class that wins there, the training points as ticks below;
 *   bottom left   the training loss (MSE, log scale) over the epochs;
 *   bottom right  the training accuracy over the epochs, with the best possible rule's.
 * A marker on the bottom panels shows the epoch drawn on top. Everything that does not depend on
 * the run (axes, ticks, labels, training points) is drawn once, into a background canvas that
 * each redraw copies, so a redraw costs about a millisecond.
 */
(function (liveTraining) {
  "use strict";

  var WIDTH = 760, HEIGHT = 500, FONT = "12px sans-serif", TITLE_FONT = "bold 13px sans-serif";
  var LOGIT_RANGE = [-0.6, 1.4]; // as in figures.py's draw_logit_frame
  var LOSS_DECADES = [-2, 1]; // the loss axis: 0.01 to 10
  var PANELS = {
    logits: { left: 62, right: 745, top: 34, bottom: 262 },
    loss: { left: 62, right: 372, top: 336, bottom: 452 },
    accuracy: { left: 452, right: 745, top: 336, bottom: 452 },
  };

  /* `value` with 3 significant digits and no trailing zeros, like Python's "{:.3g}". */
  function g3(value) {
    return String(Number(value.toPrecision(3)));
  }

  function percent(share) {
    return (100 * share).toFixed(1) + "%";
  }

  /* A panel's maps from data to canvas coordinates. */
  function scales(panel, xRange, yRange) {
    return {
      x: function (v) { return panel.left + ((v - xRange[0]) / (xRange[1] - xRange[0])) * (panel.right - panel.left); },
      y: function (v) { return panel.bottom - ((v - yRange[0]) / (yRange[1] - yRange[0])) * (panel.bottom - panel.top); },
    };
  }

  function text(ctx, string, x, y, align, baseline, font) {
    ctx.font = font || FONT;
    ctx.textAlign = align || "center";
    ctx.textBaseline = baseline || "alphabetic";
    ctx.fillText(string, x, y);
  }

  function line(ctx, x0, y0, x1, y1) {
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }

  /* Axes of a panel: frame, ticks with labels, axis labels. */
  function axes(ctx, panel, s, xTicks, yTicks, xLabel, yLabel) {
    ctx.strokeStyle = "#000";
    ctx.fillStyle = "#000";
    ctx.lineWidth = 1;
    ctx.strokeRect(panel.left, panel.top, panel.right - panel.left, panel.bottom - panel.top);
    xTicks.forEach(function (tick) {
      line(ctx, s.x(tick[0]), panel.bottom, s.x(tick[0]), panel.bottom + 4);
      text(ctx, tick[1], s.x(tick[0]), panel.bottom + 16);
    });
    yTicks.forEach(function (tick) {
      line(ctx, panel.left - 4, s.y(tick[0]), panel.left, s.y(tick[0]));
      text(ctx, tick[1], panel.left - 7, s.y(tick[0]), "right", "middle");
    });
    text(ctx, xLabel, (panel.left + panel.right) / 2, panel.bottom + 32);
    ctx.save();
    ctx.translate(panel.left - 44, (panel.top + panel.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    text(ctx, yLabel, 0, 0);
    ctx.restore();
  }

  /* The first `count` points (xs[i], ys[i]), in data units, as one line clipped to the panel. */
  function polyline(ctx, panel, s, xs, ys, count, color, width) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(panel.left, panel.top, panel.right - panel.left, panel.bottom - panel.top);
    ctx.clip();
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    for (var i = 0; i < count; i++) {
      // far off the panel, canvas coordinates are clamped so that huge values still draw a line up
      var y = Math.max(-1e4, Math.min(1e4, s.y(ys[i])));
      if (i === 0) ctx.moveTo(s.x(xs[i]), y);
      else ctx.lineTo(s.x(xs[i]), y);
    }
    ctx.stroke();
    ctx.restore();
  }

  /* A figure on `canvas` for the widget's `data` (grid, training points, colours, epochs). */
  function Figure(canvas, data) {
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(WIDTH * ratio);
    canvas.height = Math.round(HEIGHT * ratio);
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.ratio = ratio;
    this.data = data;
    this.epochAxis = new Float64Array(data.epochs + 1).map(function (_, e) { return e; });
    this.logitScale = scales(PANELS.logits, [data.grid[0], data.grid[data.grid.length - 1]], LOGIT_RANGE);
    this.lossScale = scales(PANELS.loss, [0, data.epochs], LOSS_DECADES);
    this.accuracyScale = scales(PANELS.accuracy, [0, data.epochs], [0, 100]);
    this.background = this.drawBackground();
  }

  Figure.prototype.drawBackground = function () {
    var background = document.createElement("canvas");
    background.width = this.canvas.width;
    background.height = this.canvas.height;
    var ctx = background.getContext("2d"), data = this.data;
    ctx.scale(this.ratio, this.ratio);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, WIDTH, HEIGHT);

    var p = PANELS.logits, s = this.logitScale;
    var xTicks = [-6, -4, -2, 0, 2, 4, 6].map(function (v) { return [v, String(v)]; });
    var yTicks = [-0.5, 0, 0.5, 1].map(function (v) { return [v, String(v)]; });
    axes(ctx, p, s, xTicks, yTicks, "input x", "logit");
    ctx.strokeStyle = "#999";
    line(ctx, p.left, s.y(0), p.right, s.y(0));
    ctx.setLineDash([2, 3]);
    line(ctx, p.left, s.y(1), p.right, s.y(1));
    ctx.setLineDash([]);
    // the training points, as ticks near the bottom, one colour per class
    var tickHeight = LOGIT_RANGE[0] + 0.06 * (LOGIT_RANGE[1] - LOGIT_RANGE[0]);
    ctx.globalAlpha = 0.6;
    for (var i = 0; i < data.x.length; i++) {
      ctx.strokeStyle = data.colors[data.y[i]];
      line(ctx, s.x(data.x[i]), s.y(tickHeight) - 5, s.x(data.x[i]), s.y(tickHeight) + 5);
    }
    ctx.globalAlpha = 1;

    var epochTicks = [0, 50, 100, 150, 200].filter(function (e) { return e <= data.epochs; });
    epochTicks = epochTicks.map(function (e) { return [e, String(e)]; });
    var decades = [];
    for (var d = LOSS_DECADES[0]; d <= LOSS_DECADES[1]; d++) decades.push([d, String(Math.pow(10, d))]);
    axes(ctx, PANELS.loss, this.lossScale, epochTicks, decades, "epoch", "MSE (log)");
    text(ctx, "Training loss", (PANELS.loss.left + PANELS.loss.right) / 2, PANELS.loss.top - 8, "center", "alphabetic", TITLE_FONT);
    var percentTicks = [0, 25, 50, 75, 100].map(function (v) { return [v, String(v)]; });
    axes(ctx, PANELS.accuracy, this.accuracyScale, epochTicks, percentTicks, "epoch", "accuracy (%)");
    text(ctx, "Training accuracy", (PANELS.accuracy.left + PANELS.accuracy.right) / 2, PANELS.accuracy.top - 8, "center", "alphabetic", TITLE_FONT);
    var best = this.accuracyScale.y(100 * data.bestAccuracy);
    ctx.strokeStyle = "#666";
    ctx.setLineDash([5, 4]);
    line(ctx, PANELS.accuracy.left, best, PANELS.accuracy.right, best);
    ctx.setLineDash([]);
    ctx.fillStyle = "#444";
    text(ctx, "best possible rule", PANELS.accuracy.right - 4, best + 13, "right");
    return background;
  };

  /* Draw `run` (from liveTraining.train) after `epoch` epochs; returns the figure's description. */
  Figure.prototype.draw = function (run, epoch) {
    var ctx = this.ctx, data = this.data, p = PANELS.logits, s = this.logitScale;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.background, 0, 0);
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    var diverged = run.divergedAt >= 0 && epoch >= run.divergedAt;
    var description;

    if (diverged) {
      ctx.fillStyle = "#b00020";
      text(ctx, "diverged at epoch " + run.divergedAt + ": the loss passed 3.4e38", (p.left + p.right) / 2, (p.top + p.bottom) / 2 - 10, "center", "middle", TITLE_FONT);
      ctx.fillStyle = "#000";
      text(ctx, "(try a smaller learning rate or less momentum)", (p.left + p.right) / 2, (p.top + p.bottom) / 2 + 12, "center", "middle");
      text(ctx, "lr " + g3(run.lr) + ", momentum " + g3(run.momentum) + ": diverged at epoch " + run.divergedAt, (p.left + p.right) / 2, p.top - 10, "center", "alphabetic", TITLE_FONT);
      description = "At learning rate " + g3(run.lr) + " and momentum " + g3(run.momentum) + " training diverged at epoch " + run.divergedAt + ": the loss grew beyond 3.4e38.";
    } else {
      var logits = liveTraining.logitsAt(run, epoch, data.grid);
      var regions = liveTraining.argmaxRegions(data.grid, logits);
      ctx.globalAlpha = 0.13;
      regions.forEach(function (region) {
        ctx.fillStyle = data.colors[region[2]];
        ctx.fillRect(s.x(region[0]), p.top, s.x(region[1]) - s.x(region[0]), p.bottom - p.top);
      });
      ctx.globalAlpha = 1;
      var curve = new Float64Array(data.grid.length);
      for (var k = 0; k < 3; k++) {
        for (var g = 0; g < data.grid.length; g++) curve[g] = logits[3 * g + k];
        polyline(ctx, p, s, data.grid, curve, data.grid.length, data.colors[k], 2);
      }
      this.legend(ctx);
      ctx.fillStyle = "#000";
      var title = "lr " + g3(run.lr) + ", momentum " + g3(run.momentum) + ": " + percent(run.accuracy[epoch]) + " correct after " + epoch + " epochs";
      text(ctx, title, (p.left + p.right) / 2, p.top - 10, "center", "alphabetic", TITLE_FONT);
      description = describe(run, epoch, regions);
    }

    // loss and accuracy over the epochs trained, and where the top panel is
    var last = run.divergedAt >= 0 ? run.divergedAt : run.epochs + 1;
    var logLoss = run.loss.map(Math.log10);
    polyline(ctx, PANELS.loss, this.lossScale, this.epochAxis, logLoss, last, "#1f77b4", 1.5);
    var percentCorrect = run.accuracy.map(function (a) { return 100 * a; });
    polyline(ctx, PANELS.accuracy, this.accuracyScale, this.epochAxis, percentCorrect, last, "#1f77b4", 1.5);
    if (run.divergedAt >= 0) {
      ctx.fillStyle = "#b00020";
      var at = this.lossScale.x(run.divergedAt);
      text(ctx, "diverged at epoch " + run.divergedAt, at + 4, PANELS.loss.top + 14, "left");
    }
    ctx.strokeStyle = "#d62728";
    ctx.lineWidth = 1;
    [[PANELS.loss, this.lossScale], [PANELS.accuracy, this.accuracyScale]].forEach(function (pair) {
      var x = pair[1].x(Math.min(epoch, run.epochs));
      line(ctx, x, pair[0].top, x, pair[0].bottom);
    });
    return description;
  };

  Figure.prototype.legend = function (ctx) {
    var x = PANELS.logits.left + 8, y = PANELS.logits.top + 8;
    ctx.fillStyle = "rgba(255, 255, 255, 0.9)";
    ctx.strokeStyle = "#ccc";
    ctx.lineWidth = 1;
    ctx.fillRect(x, y, 122, 58);
    ctx.strokeRect(x, y, 122, 58);
    for (var k = 0; k < 3; k++) {
      ctx.strokeStyle = this.data.colors[k];
      ctx.lineWidth = 2;
      line(ctx, x + 6, y + 12 + 17 * k, x + 28, y + 12 + 17 * k);
      ctx.fillStyle = "#000";
      text(ctx, "logit of class " + k, x + 34, y + 12 + 17 * k, "left", "middle");
    }
  };

  /* The text alternative of the figure: the setting, the result, and where each class wins
   * (the same sentence as live_training.describe in Python). */
  function describe(run, epoch, regions) {
    var where = regions.map(function (region, i) {
      var label = "class " + region[2];
      if (regions.length === 1) return label + " wins everywhere";
      if (i === 0) return label + " wins below x = " + region[1].toFixed(2);
      if (i === regions.length - 1) return label + " above x = " + region[0].toFixed(2);
      return label + " between " + region[0].toFixed(2) + " and " + region[1].toFixed(2);
    });
    return (
      "Logit curves at learning rate " + g3(run.lr) + " and momentum " + g3(run.momentum) +
      " after " + epoch + " epochs: " + percent(run.accuracy[epoch]) + " of the training points correct, loss " +
      run.loss[epoch].toFixed(4) + "; " + where.join(", ") + "."
    );
  }

  liveTraining.Figure = Figure;
  liveTraining.g3 = g3;
})(window.liveTraining = window.liveTraining || {});
