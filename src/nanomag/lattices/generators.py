"""Built-in lattice generators (placeholder until the lattice module lands)."""
