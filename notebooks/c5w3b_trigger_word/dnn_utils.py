"""Activation functions with forward/backward pairs, as the course's layers use them.

Forward functions return (A, cache) where cache is the input Z; backward functions take
(dA, cache) and return dZ = dA * g'(Z). Every array may have any shape; outputs keep it.
"""
import numpy as np
from scipy.special import expit


def sigmoid(Z):
    """A = 1 / (1 + exp(-Z)), computed without overflow for large |Z|. Returns (A, cache=Z)."""
    A = expit(Z)
    return A, Z


def relu(Z):
    """A = max(0, Z). Returns (A, cache=Z)."""
    return np.maximum(0, Z), Z


def sigmoid_backward(dA, cache):
    """dZ = dA * s * (1 - s) with s = sigmoid(Z); shapes as dA."""
    s = expit(cache)
    return dA * s * (1 - s)


def relu_backward(dA, cache):
    """dZ = dA where Z > 0, else 0 (the derivative at exactly 0 is taken as 0); shapes as dA."""
    return np.where(cache > 0, dA, 0.0)


def tanh(Z):
    """A = tanh(Z). Returns (A, cache=Z)."""
    return np.tanh(Z), Z


def tanh_backward(dA, cache):
    """dZ = dA * (1 - tanh(Z)^2); shapes as dA."""
    return dA * (1 - np.tanh(cache) ** 2)
