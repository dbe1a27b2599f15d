"""Compiling kernels ahead of a run in several processes (nanomag.kernels.ahead)."""

import importlib
import json
import os
import subprocess
import sys

import pytest

from nanomag.kernels.ahead import CompileAheadWarning, Warmup, compile_ahead, pending
from nanomag.kernels.cache import compiled

MODULE = '''
import os
from numba import njit


@njit(cache=True)
def add(x):
    return x + {a}


@njit(cache=True)
def mul(x):
    return x * {b}


def _log(name):
    with open(os.environ["AHEAD_LOG"], "a") as f:
        f.write(f"{{name}} {{os.getpid()}}\\n")


def warm_add():
    add(1.0)
    _log("add")


def warm_mul():
    mul(1.0)
    _log("mul")


def broken():
    raise RuntimeError("no such kernel")
'''


@pytest.fixture
def probe(tmp_path, monkeypatch):
    """A fresh module of two cached kernels and their warm-ups, importable by children."""
    name = f"ahead_probe_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(MODULE.format(a=len(name), b=3))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), *sys.path]))
    monkeypatch.setenv("AHEAD_LOG", str(tmp_path / "log.txt"))
    importlib.invalidate_caches()
    module = importlib.import_module(name)
    yield module, tmp_path / "log.txt"
    sys.modules.pop(name, None)


def _runs(log):
    return dict(line.split() for line in log.read_text().splitlines())


def test_two_warmups_run_at_once_one_here_one_in_another_process(probe):
    module, log = probe
    warmups = [Warmup(f"{module.__name__}:warm_add", (module.add,)),
               Warmup(f"{module.__name__}:warm_mul", (module.mul,))]
    assert pending(warmups) == warmups
    assert compile_ahead(warmups, processes=2) == 2
    runs = _runs(log)
    assert runs["add"] == str(os.getpid()) and runs["mul"] != str(os.getpid())
    # the child's compilation is in the cache: this process would load, not compile
    assert compiled([module.add, module.mul]) and pending(warmups) == []
    assert compile_ahead(warmups, processes=2) == 0  # nothing left to do
    assert module.mul(2.0) == 6.0


def test_one_process_runs_every_warmup_here(probe):
    module, log = probe
    warmups = [Warmup(f"{module.__name__}:warm_add", (module.add,)),
               Warmup(f"{module.__name__}:warm_mul", (module.mul,))]
    assert compile_ahead(warmups, processes=1) == 2
    assert set(_runs(log).values()) == {str(os.getpid())}


def test_a_failed_warmup_process_is_a_warning_naming_it(probe):
    module, _ = probe
    warmups = [Warmup(f"{module.__name__}:warm_add", (module.add,)),
               Warmup(f"{module.__name__}:broken", (module.mul,))]
    with pytest.warns(CompileAheadWarning, match="broken.*no such kernel"):
        compile_ahead(warmups, processes=2)
    assert compiled([module.add]) and not compiled([module.mul])


CHECK_DEMO = """
import json, numpy as np
from nanomag.experiments.demo import demo_kernels, demo_warmups, forecast_demo
from nanomag.kernels.ahead import resolve
warmups = demo_warmups("spin-ice")
for w in warmups:
    resolve(w.target)()
before = {k.py_func.__name__: sorted(map(str, k.signatures)) for k in demo_kernels("spin-ice")}
forecast_demo(size=(3, 3), n_inputs=150, max_horizon=2)
after = {k.py_func.__name__: sorted(map(str, k.signatures)) for k in demo_kernels("spin-ice")}
covered = sorted(k.py_func.__name__ for w in warmups for k in w.kernels)
print(json.dumps([before, after, covered]))
"""


def test_demo_warmups_compile_every_kernel_signature_the_demo_runs():
    # a fresh process: its dispatchers hold only what the warm-ups and the demo compiled
    out = subprocess.run([sys.executable, "-c", CHECK_DEMO], capture_output=True, text=True,
                         check=True)
    before, after, covered = json.loads(out.stdout.strip().splitlines()[-1])
    assert after == before  # the demo compiled nothing the warm-ups had not
    assert before["run_protocol_athermal"] and before["series_spectra"]
    assert covered == sorted(before)


def test_an_error_here_ends_the_other_processes_and_is_raised(probe, monkeypatch):
    module, log = probe
    started = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    warmups = [Warmup(f"{module.__name__}:broken", (module.add,)),
               Warmup(f"{module.__name__}:warm_mul", (module.mul,))]
    with pytest.raises(RuntimeError, match="no such kernel"):
        compile_ahead(warmups, processes=2)
    assert len(started) == 1 and started[0].poll() is not None  # ended, not left running
    assert not log.exists() or "mul" not in log.read_text()  # killed before it finished
