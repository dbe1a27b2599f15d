"""The spin-ice engine: the microstate of an array of bars and how it switches.

``spin_ice`` (``SpinIce``: microstate, coupling, relaxation, field protocols run through the
numba kernels in ``kernels/``), ``switching`` (astroid and coercive fields), ``vortices``
(vortex nucleation rules), ``protocols`` (field sequences) and ``analysis`` (coercive fields
and projections of a loop's result).
"""
