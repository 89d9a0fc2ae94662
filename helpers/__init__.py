"""The code the book's chapters import, so that each chapter reads as a lesson.

Submodules:

- :mod:`helpers.data`: verified, validated loaders for MNIST and CIFAR-10.
- :mod:`helpers.plots`: figures shared by several chapters (image grids, class counts).
"""

import sys

if sys.argv[:1] == ["-m"]:  # `python -m helpers....` is starting (Python sets argv[0] to "-m" meanwhile)
    from .cli import quiet_startup_interrupts

    quiet_startup_interrupts()
