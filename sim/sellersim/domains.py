"""The work domains of a seller company and the departments they belong to.

A domain is a kind of work with its own weekly hours, service level and effect
on the business. The order of :data:`DOMAINS` is the column order of every
per-domain array in the simulator.
"""

from __future__ import annotations

from typing import Final

DEPARTMENTS: Final[dict[str, tuple[str, ...]]] = {
    "product": ("selection", "design", "procurement"),
    "operations": ("listing", "ads", "after_sales", "vision"),
    "backend": ("hr", "finance", "logistics", "admin"),
}

DOMAINS: Final[tuple[str, ...]] = tuple(d for ds in DEPARTMENTS.values() for d in ds)

DOMAIN_INDEX: Final[dict[str, int]] = {d: i for i, d in enumerate(DOMAINS)}

DEPARTMENT_OF: Final[dict[str, str]] = {d: dep for dep, ds in DEPARTMENTS.items() for d in ds}
