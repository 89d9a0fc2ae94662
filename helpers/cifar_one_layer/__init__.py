"""The one-layer network on CIFAR-10 that chapter 3 teaches, shared with the reproduction report,
which trains it again under other schedules.

- :mod:`.data`: ``data_batch_1`` / ``data_batch_2`` / ``test_batch``, or more training batches with
  a held-out validation set (:func:`~.data.load_splits`), and the flips.
- :mod:`.model`: ``s = Wx + b``; softmax + cross-entropy or sigmoid + multiple binary
  cross-entropy, each with an L2 penalty; gradients written out.
- :mod:`.training`: mini-batch gradient descent with learning-rate decay and flips, several models
  in lockstep.
- :mod:`.search`: chapter 3's procedure: the four settings, the grid search, the improvements and
  the final networks.
"""
