"""The code the book's chapters import, so that each chapter reads as a lesson.

Submodules:

- :mod:`helpers.data`: verified, validated loaders for MNIST and CIFAR-10.
- :mod:`helpers.plots`: figures shared by several chapters (image grids, class counts).
"""
