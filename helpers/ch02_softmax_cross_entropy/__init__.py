"""Chapter 2: softmax and cross-entropy; logistic and softmax regression from scratch.

- :mod:`.linear_models`: logistic regression and softmax regression, trained with the gradients
  written out (``sigmoid(z) - y``, ``softmax(o) - y``; ``W`` is ``(K, D)``, one row per class),
  and the three Gaussian blobs of the chapter's two-dimensional example.
- :mod:`.bounded`: the values the chapter checks against its bounds, each computed by one
  function, and ``measure(seed)``, the chapter's runs for another seed (``benchmarks/seed_sweep.py``).
- :mod:`.figures`: the chapter's plots. The softmax and the losses themselves are shared with
  chapter 3: :mod:`helpers.softmax`.
"""
