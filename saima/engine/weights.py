"""Weights: entropy (熵权法), CRITIC, AHP (层次分析法), and composing with section weights.

Data-driven weights take a normalised matrix with units on axis -2 and indicators on axis -1
(leading axes are batches) and return weights summing to 1 on axis -1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .errors import SchemeError

Array = NDArray[np.float64]

# Saaty's random consistency index by matrix order.
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56)
AHP_MAX_CR = 0.1


def unit_sum(base: Array) -> Array:
    """Scale non-negative weights to sum to 1 on the last axis; all-zero rows become equal.

    >>> unit_sum(np.array([1.0, 3.0])).tolist()
    [0.25, 0.75]
    >>> unit_sum(np.array([0.0, 0.0])).tolist()
    [0.5, 0.5]
    """
    total = base.sum(axis=-1, keepdims=True)
    equal = np.full_like(base, 1.0 / base.shape[-1])
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, base / safe, equal)


def entropy_divergence(n: Array) -> Array:
    """d_j = 1 - e_j, e_j = -(1/ln m) sum_i p_ij ln p_ij, p_ij = n_ij / sum_i n_ij, 0 ln 0 = 0.

    A column of zeros (or constant after min-max) carries no information: d_j = 0.

    >>> entropy_divergence(np.array([[0.0, 1.0], [1.0, 1.0]])).round(6).tolist()
    [1.0, 0.0]
    """
    m = n.shape[-2]
    total = n.sum(axis=-2, keepdims=True)
    p = np.where(total > 0, n / np.where(total > 0, total, 1.0), 1.0 / m)
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    if m < 2:
        return np.zeros(n.shape[:-2] + n.shape[-1:])
    entropy = -plogp.sum(axis=-2) / np.log(m)
    return np.asarray(np.clip(1.0 - entropy, 0.0, None), dtype=np.float64)


def entropy_weights(n: Array) -> Array:
    """Entropy weights w_j = d_j / sum d (equal when no column carries information).

    >>> entropy_weights(np.array([[0.2, 0.5], [0.8, 0.5]])).round(6).tolist()
    [1.0, 0.0]
    """
    return unit_sum(entropy_divergence(n))


def critic_information(n: Array) -> Array:
    """CRITIC c_j = s_j sum_k (1 - r_jk): sample std (ddof=1) times total conflict.

    Constant columns have s_j = 0 and correlation 0 with every other column.
    """
    m = n.shape[-2]
    if m < 2:
        return np.zeros(n.shape[:-2] + n.shape[-1:])
    centred = n - n.mean(axis=-2, keepdims=True)
    std = np.sqrt((centred**2).sum(axis=-2) / (m - 1))
    cov = np.swapaxes(centred, -1, -2) @ centred / (m - 1)
    scale = std[..., :, None] * std[..., None, :]
    corr = np.where(scale > 0, cov / np.where(scale > 0, scale, 1.0), 0.0)
    return np.asarray(std * (1.0 - corr).sum(axis=-1), dtype=np.float64)


def critic_weights(n: Array) -> Array:
    """CRITIC weights (Diakoulaki 1995) on a min-max matrix: c_j / sum c.

    >>> critic_weights(np.array([[0.0, 1.0], [0.5, 0.0], [1.0, 0.5]])).round(4).tolist()
    [0.5, 0.5]
    """
    return unit_sum(critic_information(n))


def ahp_consistency(matrix: Sequence[Sequence[float]]) -> tuple[Array, float]:
    """Principal-eigenvector weights and Saaty's consistency ratio CR = CI / RI.

    >>> w, cr = ahp_consistency([[1, 3], [1 / 3, 1]])
    >>> (w.round(4).tolist(), cr)
    ([0.75, 0.25], 0.0)
    """
    a = np.asarray(matrix, dtype=np.float64)
    k = a.shape[0]
    values, vectors = np.linalg.eig(a)
    top = int(np.argmax(values.real))
    vector = np.abs(vectors[:, top].real)
    weights = vector / vector.sum()
    if k < 3:
        return weights, 0.0
    ci = (float(values[top].real) - k) / (k - 1)
    ri = RANDOM_INDEX[k] if k < len(RANDOM_INDEX) else RANDOM_INDEX[-1]
    return weights, max(ci / ri, 0.0)


def ahp_weights(matrix: Sequence[Sequence[float]]) -> Array:
    """AHP weights; SchemeError when the pairwise matrix is not reciprocal or CR > 0.1."""
    a = np.asarray(matrix, dtype=np.float64)
    if not np.allclose(np.diag(a), 1.0):
        raise SchemeError("ahp.matrix: the diagonal must be 1")
    if not np.allclose(a * a.T, 1.0, rtol=0.0, atol=0.01):
        raise SchemeError("ahp.matrix: must be reciprocal (a[j][i] = 1 / a[i][j])")
    weights, cr = ahp_consistency(matrix)
    if cr > AHP_MAX_CR:
        raise SchemeError(
            f"ahp.matrix: consistency ratio {cr:.3f} exceeds {AHP_MAX_CR} (pairwise judgements "
            "contradict each other; revise them)"
        )
    return weights


def compose_sections(
    base: Array, section_of: Sequence[int], section_weights: Sequence[float] | None
) -> Array:
    """Effective weights: the section's weight times the indicator's share within its section.

    Without section weights the base weights are simply scaled to sum to 1.

    >>> compose_sections(np.array([1.0, 3.0, 1.0]), [0, 0, 1], [0.5, 0.5]).tolist()
    [0.125, 0.375, 0.5]
    """
    if section_weights is None:
        return unit_sum(base)
    owner = np.asarray(section_of)
    onehot = (owner[:, None] == np.arange(len(section_weights))[None, :]).astype(np.float64)
    within = base @ onehot  # (..., n_sections)
    size = onehot.sum(axis=0)
    share = np.where(
        (within @ onehot.T) > 0,
        base / np.where((within @ onehot.T) > 0, within @ onehot.T, 1.0),
        1.0 / (onehot @ size),
    )
    sw = np.asarray(section_weights, dtype=np.float64)
    return np.asarray(share * (onehot @ (sw / sw.sum())), dtype=np.float64)
