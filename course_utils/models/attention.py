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
    if not (regions.dim() == projected_regions.dim() == 3 and hidden_projection.dim() == 2
            and regions.shape[:2] == projected_regions.shape[:2]
            and hidden_projection.shape == projected_regions.shape[::2]):
        raise ValueError("soft_attention needs regions (B, L, D), projected_regions (B, L, A) and "
                         f"hidden_projection (B, A); got {tuple(regions.shape)}, "
                         f"{tuple(projected_regions.shape)} and {tuple(hidden_projection.shape)}")
    energies = score(torch.tanh(projected_regions + hidden_projection.unsqueeze(1))).squeeze(-1)
    weights = torch.softmax(energies, dim=1)
    context = (weights.unsqueeze(-1) * regions).sum(dim=1)
    return context, weights
