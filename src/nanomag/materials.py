"""Magnetic material constants (SI units)."""

from __future__ import annotations

from dataclasses import dataclass

MU0 = 4e-7 * 3.141592653589793  # vacuum permeability, T m / A
K_B = 1.380649e-23  # Boltzmann constant, J / K


@dataclass(frozen=True)
class Material:
    """A soft ferromagnet.

    Attributes:
        name: label.
        Ms: saturation magnetisation, A/m.
        gamma_over_2pi: gyromagnetic ratio / 2 pi, Hz/T.
        damping: Gilbert damping (dimensionless).
        exchange: exchange stiffness A, J/m.
    """

    name: str = "permalloy"
    Ms: float = 800e3
    gamma_over_2pi: float = 28.0e9
    damping: float = 0.01
    exchange: float = 13e-12

    def __post_init__(self) -> None:
        for field in ("Ms", "gamma_over_2pi", "exchange"):
            value = getattr(self, field)
            if not value > 0:
                raise ValueError(f"Material.{field} must be positive, got {value!r}")
        if not 0 <= self.damping < 1:
            raise ValueError(f"Material.damping must be in [0, 1), got {self.damping!r}")


PERMALLOY = Material()
