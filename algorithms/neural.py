"""Neural networks of SLP3 chapter 7, one import: the perceptron, feed-forward nets, computation graphs.

- :func:`perceptron_train`: the perceptron's update rule, example by example (and why XOR defeats it);
- :class:`MLP` and :func:`train_mlp`: feed-forward networks trained by backpropagation, unit by unit;
- :class:`Graph`: any arithmetic expression as a computation graph, forward and backward node by node.
"""

from __future__ import annotations

from algorithms.computation_graph import Graph
from algorithms.mlp import MLP
from algorithms.mlp_training import TrainingResult, train_mlp
from algorithms.perceptron import PerceptronResult, perceptron_train

__all__ = ["Graph", "MLP", "train_mlp", "perceptron_train", "TrainingResult", "PerceptronResult"]
