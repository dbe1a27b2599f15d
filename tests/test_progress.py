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
