/* Chapter 1's network, trained in the reader's browser: the wiring module.
 *
 * Connects the controls that live_training.py writes into the page to train.js and draw.js:
 * - the learning-rate slider moves in log10 (its value -1 means lr 0.1), the momentum slider in
 *   plain units; each move retrains the network from the same initial weights, at most once per
 *   animation frame (moves in between are merged), so dragging never queues up work;
 * - the epoch scrubber shows the network after any epoch of the current run, and play/pause
 *   steps through them (60 epochs a second);
 * - the settings are kept in the URL fragment (#lr=0.05&momentum=0.8, and &epoch=20 when the
 *   scrubber is not at the end), so a link opens the page with them; a fragment that is not a
 *   setting is left alone, and one whose numbers are not settings is reported in one line;
 * - without JavaScript none of this runs, and the page keeps the default run's figure.
 * For the browser tests, each widget's element gets a `liveTraining` property (see `api`).
 */
(function (liveTraining) {
  "use strict";

  var EPOCHS_PER_SECOND = 60;

  /* Settings in a URL fragment ("#lr=0.05&momentum=0.8&epoch=20"): {lr, momentum, epoch,
   * problems}, with a setting only if the fragment names it, and a note in `problems` for each
   * value that is not a number in its slider's range (a whole number, for the epoch). */
  function parseFragment(hash, ranges) {
    var found = { problems: [] };
    var params = new URLSearchParams(hash.replace(/^#/, ""));
    ["lr", "momentum", "epoch"].forEach(function (name) {
      if (!params.has(name)) return;
      var raw = params.get(name), value = Number(raw), range = ranges[name];
      var whole = name !== "epoch" || Number.isInteger(value);
      if (raw.trim() !== "" && isFinite(value) && whole && value >= range[0] && value <= range[1]) found[name] = value;
      else found.problems.push(name + "=" + raw.slice(0, 20) + " is not a " + (name === "epoch" ? "whole " : "") + "number from " + range[0] + " to " + range[1]);
    });
    return found;
  }

  /* The URL fragment of a setting: the epoch only when it is not the last. */
  function fragmentOf(settings, epoch, epochs) {
    return "#lr=" + settings.lr + "&momentum=" + settings.momentum + (epoch < epochs ? "&epoch=" + epoch : "");
  }

  function Widget(root) {
    var data = JSON.parse(root.querySelector("script.live-training-data").textContent);
    data.x = Float64Array.from(data.x);
    data.y = Int32Array.from(data.y);
    this.root = root;
    this.data = data;
    this.inputs = {};
    this.outputs = {};
    var self = this;
    ["lr", "momentum", "epoch"].forEach(function (name) {
      var input = root.querySelector('input[name="' + name + '"]');
      self.inputs[name] = input;
      self.outputs[name] = input.parentNode.querySelector("output");
    });
    this.ranges = {
      lr: [Math.pow(10, Number(this.inputs.lr.min)), Math.pow(10, Number(this.inputs.lr.max))],
      momentum: [Number(this.inputs.momentum.min), Number(this.inputs.momentum.max)],
      epoch: [0, data.epochs],
    };
    this.playButton = root.querySelector("button.live-training-play");
    this.status = root.querySelector(".live-training-status");
    this.canvas = root.querySelector("canvas.live-training-figure");
    this.figure = new liveTraining.Figure(this.canvas, data);
    this.settings = { lr: data.lr, momentum: data.momentum };
    this.epoch = data.epochs;
    this.playing = false;
    this.pending = false; // a frame is requested
    this.stale = true; // the settings changed since the last training
    this.timings = { train: 0, draw: 0 };
    this.trainings = 0; // how many times the network was retrained (the tests count them)

    // show the live figure instead of the static one
    root.querySelectorAll(".live-training-fallback").forEach(function (element) { element.hidden = true; });
    root.querySelector(".live-training-live").hidden = false;

    this.inputs.lr.addEventListener("input", function () {
      self.settings.lr = Number(Math.pow(10, Number(self.inputs.lr.value)).toPrecision(3));
      self.changed(true);
    });
    this.inputs.momentum.addEventListener("input", function () {
      self.settings.momentum = Number(self.inputs.momentum.value);
      self.changed(true);
    });
    this.inputs.epoch.addEventListener("input", function () {
      self.epoch = Number(self.inputs.epoch.value);
      self.stop();
    });
    this.playButton.addEventListener("click", function () {
      if (self.playing) self.stop();
      else self.play();
    });
    window.addEventListener("hashchange", function () { self.fromFragment(); });
    this.fromFragment();
    this.update();
  }

  /* Apply the settings of the URL fragment, if it has any. */
  Widget.prototype.fromFragment = function () {
    var found = parseFragment(window.location.hash, this.ranges);
    var named = ["lr", "momentum", "epoch"].filter(function (name) { return found[name] !== undefined; });
    if (named.length === 0 && found.problems.length === 0) return;
    if (found.lr !== undefined) this.settings.lr = found.lr;
    if (found.momentum !== undefined) this.settings.momentum = found.momentum;
    if (found.epoch !== undefined) {
      this.playing = false;
      this.showPlaying();
      this.epoch = found.epoch;
    }
    this.problems = found.problems;
    this.stale = true;
    this.showSettings(false);
    this.schedule();
  };

  /* A slider moved: show its value at once; retrain, redraw and put the settings in the URL at
   * the next frame (replaceState is too slow to call on every event of a drag). */
  Widget.prototype.changed = function (fromSlider) {
    this.problems = [];
    this.stale = true;
    this.linkStale = true;
    this.showSettings(fromSlider);
    this.schedule();
  };

  Widget.prototype.schedule = function () {
    if (this.pending) return;
    this.pending = true;
    var self = this;
    window.requestAnimationFrame(function () {
      self.pending = false;
      self.update();
    });
  };

  /* Readouts, and slider positions unless the slider is what moved (its own position is right). */
  Widget.prototype.showSettings = function (fromSlider) {
    var lr = this.settings.lr, momentum = this.settings.momentum;
    if (!fromSlider) {
      this.inputs.lr.value = Math.log10(lr);
      this.inputs.momentum.value = momentum;
    }
    this.outputs.lr.textContent = liveTraining.g3(lr);
    this.inputs.lr.setAttribute("aria-valuetext", liveTraining.g3(lr));
    this.outputs.momentum.textContent = String(momentum);
    this.inputs.momentum.setAttribute("aria-valuetext", String(momentum));
  };

  /* Retrain if the settings changed, then redraw: what one slider move costs. */
  Widget.prototype.update = function () {
    var start = performance.now();
    if (this.stale) {
      this.run = liveTraining.train(this.data, this.settings.lr, this.settings.momentum, this.data.epochs);
      this.stale = false;
      this.trainings++;
    }
    var trained = performance.now();
    var epoch = Math.max(0, Math.min(this.epoch, this.data.epochs));
    if (this.linkStale) {
      var fragment = fragmentOf(this.settings, epoch, this.data.epochs);
      if (window.location.hash !== fragment) history.replaceState(null, "", fragment);
      this.linkStale = false;
    }
    var description = this.figure.draw(this.run, epoch);
    this.canvas.setAttribute("aria-label", description);
    this.inputs.epoch.value = epoch;
    this.outputs.epoch.textContent = String(epoch);
    this.inputs.epoch.setAttribute("aria-valuetext", "epoch " + epoch);
    var diverged = this.run.divergedAt >= 0;
    var message = diverged
      ? "Diverged at epoch " + this.run.divergedAt + ": the loss grew beyond 3.4e38. Try a smaller learning rate or less momentum."
      : "Retrained in the browser: " + (100 * this.run.accuracy[this.data.epochs]).toFixed(1) + "% correct after " +
        this.data.epochs + " epochs, loss " + this.run.loss[this.data.epochs].toFixed(4) + ".";
    if (this.problems && this.problems.length) message = "The link's " + this.problems.join("; ") + ". " + message;
    if (this.status.textContent !== message) this.status.textContent = message;
    this.status.classList.toggle("diverged", diverged);
    this.timings = { train: trained - start, draw: performance.now() - trained };
  };

  Widget.prototype.play = function () {
    if (this.epoch >= this.data.epochs) this.epoch = 0;
    this.playing = true;
    this.showPlaying();
    // The clock starts at the first frame: a frame's timestamp is when the frame began, which
    // can be earlier than a performance.now() read just before it was requested.
    var self = this, startEpoch = this.epoch, startTime = null;
    function step(now) {
      if (!self.playing) return;
      if (startTime === null) startTime = now;
      self.epoch = Math.min(self.data.epochs, startEpoch + Math.floor(((now - startTime) * EPOCHS_PER_SECOND) / 1000));
      self.update();
      if (self.epoch >= self.data.epochs) self.stop();
      else window.requestAnimationFrame(step);
    }
    window.requestAnimationFrame(step);
  };

  /* Pause (or stop at the end), and put the epoch shown in the URL (not while playing: a
   * history entry per frame is more than browsers allow). */
  Widget.prototype.stop = function () {
    this.playing = false;
    this.showPlaying();
    this.linkStale = true;
    this.schedule();
  };

  Widget.prototype.showPlaying = function () {
    this.playButton.textContent = this.playing ? "Pause" : "Play";
    this.playButton.setAttribute("aria-pressed", String(this.playing));
  };

  /* What the browser tests use: set the settings and retrain now, and read what is shown. */
  Widget.prototype.api = function () {
    var self = this;
    return {
      set: function (lr, momentum, epoch) {
        self.settings = { lr: lr, momentum: momentum };
        if (epoch !== undefined) self.epoch = epoch;
        self.stale = true;
        self.showSettings(false);
        self.update();
        return self.timings;
      },
      run: function () { return self.run; },
      trainings: function () { return self.trainings; },
      settings: function () { return { lr: self.settings.lr, momentum: self.settings.momentum, epoch: self.epoch }; },
      logits: function () { return Array.from(liveTraining.logitsAt(self.run, self.data.epochs, self.data.grid)); },
    };
  };

  liveTraining.parseFragment = parseFragment;
  liveTraining.widgets = liveTraining.widgets || [];
  document.querySelectorAll(".live-training").forEach(function (root) {
    if (root.liveTraining) return; // the scripts of a second widget on the page run this again
    var widget = new Widget(root);
    root.liveTraining = widget.api();
    liveTraining.widgets.push(widget);
  });
})(window.liveTraining = window.liveTraining || {});
