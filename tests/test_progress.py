from nanomag.progress import report, reporting, track


def test_track_reports_each_item_and_the_start():
    seen = []
    with reporting(lambda label, done, total: seen.append((label, done, total))):
        items = list(track(["a", "b", "c"], "stage"))
    assert items == ["a", "b", "c"]
    assert seen == [("stage", 0, 3), ("stage", 1, 3), ("stage", 2, 3), ("stage", 3, 3)]


def test_reports_outside_a_reporting_block_go_nowhere_and_blocks_nest():
    outer, inner = [], []
    report("lost", 1, 1)
    with reporting(lambda *a: outer.append(a)):
        with reporting(lambda *a: inner.append(a)):
            report("x", 1, 2)
        report("y", 2, 2)
    report("lost again", 1, 1)
    assert inner == [("x", 1, 2)]
    assert outer == [("y", 2, 2)]


def test_generator_with_explicit_total():
    seen = []
    with reporting(lambda *a: seen.append(a)):
        assert sum(track((i for i in range(4)), "gen", total=4)) == 6
    assert seen[-1] == ("gen", 4, 4)


def test_progress_bars_draw_one_bar_per_label_on_a_terminal(monkeypatch):
    import importlib
    import io

    from rich.console import Console

    cli_app = importlib.import_module("nanomag.cli.app")  # the module, not the Typer app

    screen = io.StringIO()
    monkeypatch.setattr(cli_app, "errors", Console(file=screen, force_terminal=True, width=100))
    with cli_app.progress_bars("compiling ..."):
        for _ in track(range(3), "field steps"):
            pass
        report("systems", 1, 4)
    text = screen.getvalue()
    assert text.startswith("compiling ...")
    assert "field steps" in text and "systems" in text and "3/3" in text and "1/4" in text


def test_progress_bars_stay_off_a_pipe(monkeypatch):
    import importlib
    import io

    from rich.console import Console

    cli_app = importlib.import_module("nanomag.cli.app")  # the module, not the Typer app

    screen = io.StringIO()
    monkeypatch.setattr(cli_app, "errors", Console(file=screen, force_terminal=False))
    with cli_app.progress_bars():
        report("field steps", 1, 2)
    assert screen.getvalue() == ""


def test_engine_runs_in_calls_report_progress_and_match_one_call(monkeypatch):
    import numpy as np

    import nanomag.engine.spin_ice as engine
    from nanomag import SpinIce, VortexModel, make_lattice
    from nanomag.engine.protocols import hysteresis_loop

    def loop_run(**params):
        model = SpinIce(make_lattice("asvi_width_modulated", size=(3, 3)), disorder=0.05,
                        vortex=VortexModel(), seed=3, **params)
        fields = np.concatenate([hysteresis_loop(h_max=0.02, n_steps=30)] * 2)
        return model.run(fields, record_states=True)

    whole = loop_run()
    seen = []
    monkeypatch.setattr(engine, "_MIN_BAR_STEPS_PER_CALL", 1)  # 60 steps -> 60 calls
    with reporting(lambda *a: seen.append(a)):
        split = loop_run()
    assert [done for _, done, _ in seen] == list(range(1, 61))
    assert {(label, total) for label, _, total in seen} == {("field steps", 60)}
    assert int(whole.flips.sum()) > 0 and int(whole.n_vortex.max()) > 0
    for name in ("flips", "n_vortex", "spin", "vortex"):
        np.testing.assert_array_equal(split[name].values, whole[name].values)
    np.testing.assert_allclose(split.magnetization.values, whole.magnetization.values,
                               atol=1e-12)
