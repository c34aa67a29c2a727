"""Attention over image regions.

Shapes: B batch, R regions, D region-feature size, A attention size.
"""

from __future__ import annotations

import torch


def soft_attention(regions, projected_regions, hidden_projection, score):
    """Soft attention: weights over the R regions and the weighted sum of the regions.

    Taught in notebook 03, section 3. ``regions`` (B, R, D), ``projected_regions`` (B, R, A),
    ``hidden_projection`` (B, A), ``score`` a ``nn.Linear(A, 1)``; returns the context (B, D)
    and the weights (B, R).
    """
    energies = score(torch.tanh(projected_regions + hidden_projection.unsqueeze(1))).squeeze(-1)
    weights = torch.softmax(energies, dim=1)
    context = (weights.unsqueeze(-1) * regions).sum(dim=1)
    return context, weights
