"""Magnetic material constants (SI units)."""

from __future__ import annotations

from dataclasses import dataclass

from nanomag._validate import in_range, instance_of, positive

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
        instance_of(self.name, str, "Material.name")
        for field in ("Ms", "gamma_over_2pi", "exchange"):
            positive(getattr(self, field), f"Material.{field}")
        in_range(self.damping, "Material.damping", 0.0, 1.0, high_open=True)


PERMALLOY = Material()
