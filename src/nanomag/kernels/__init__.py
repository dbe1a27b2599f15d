"""How nanomag's numba kernels are built and compiled: serial / parallel and athermal twins
(``variants``), the on-disk cache check (``cache``) and compiling ahead in parallel processes
(``ahead``).  The kernels themselves live beside the physics they serve (``engine/kernels``,
``fmr``, ``substrates``, ``tasks``, ``measured``)."""
