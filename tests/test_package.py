"""The top-level namespace: every public name resolves, and only on first use."""

import subprocess
import sys

import pytest

import nanomag


def test_every_public_name_resolves_to_the_object_of_its_module():
    assert sorted(nanomag.__all__) == sorted([*nanomag._EXPORTS, "__version__"])
    for name, module in nanomag._EXPORTS.items():
        assert getattr(nanomag, name) is getattr(sys.modules[module], name)
    assert set(nanomag.__all__) <= set(dir(nanomag))


def test_importing_a_submodule_does_not_import_the_whole_package():
    code = ("import sys, nanomag.kernels.cache; "
            "print(sorted(m for m in ('nanomag.fmr', 'nanomag.substrates', 'sklearn') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="no_such_name"):
        nanomag.no_such_name  # noqa: B018
