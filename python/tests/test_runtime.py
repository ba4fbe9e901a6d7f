"""How a run behaves: warnings as the command prints them, progress, the GIL released."""

import threading
import time

import pytest

import frontline


def test_reading_warnings_are_the_command_s_lines(repaired, cli):
    lines = [l[len("warning: "):] for l in cli.run("areas", repaired).stderr.splitlines() if l.startswith("warning: ")]
    assert lines and "1731024000.geojson feature 4" in lines[0]
    with pytest.warns(frontline.FrontlineWarning) as caught:
        frontline.areas(repaired)
    assert [str(w.message) for w in caught] == lines
    # strict: the first warning is an error, as the command's
    with pytest.raises(frontline.InputError) as error:
        frontline.areas(repaired, strict=True)
    out = cli.run("areas", repaired, "--strict", check=False)
    assert out.returncode == 2 and out.stderr.strip().splitlines()[-1] == f"frontline: {error.value}"
    with pytest.raises(frontline.InputError, match=r"\(strict mode\)$"):
        frontline.changes(repaired, strict=True)


def test_progress_is_called_back_once_per_snapshot(sample):
    calls = []
    with frontline._Options({}) as options:
        frontline._frontline.areas([str(sample / "snapshots")], None, options, lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_a_tqdm_bar_counts_the_snapshots(sample, capsys):
    pytest.importorskip("tqdm")
    frontline.areas(sample / "snapshots", progress=True)
    assert "3/3" in capsys.readouterr().err


def test_the_gil_is_released_while_the_engine_works(sample):
    """Another Python thread keeps running while a run measures: tiny grid cells make the
    engine work for a while, and a thread counting meanwhile gets most of an interpreter."""
    options = dict(regions=sample / "towns.geojson", cell_deg=0.005, progress=False)
    start = time.perf_counter()
    frontline.areas(sample / "snapshots", **options)
    alone = time.perf_counter() - start
    assert alone > 0.05, f"the run took {alone:.3f} s: too short to tell"

    def spin(stop, start):
        """Counts until `stop` is set: the count per second since `start`."""
        n = 0
        while not stop.is_set():
            n += 1
            time.perf_counter()
        return n / (time.perf_counter() - start)

    # the same loop, alone (a timer stops it) and while another thread runs the engine
    stop = threading.Event()
    threading.Timer(alone, stop.set).start()
    baseline = spin(stop, time.perf_counter())
    done = threading.Event()
    worker = threading.Thread(target=lambda: (frontline.areas(sample / "snapshots", **options), done.set()))
    # (the clock starts before the thread: starting it can hand it the GIL at once)
    start = time.perf_counter()
    worker.start()
    rate = spin(done, start)
    worker.join()
    # (holding the GIL, the run lets the counter in only between snapshots: about 4 % of
    # the rate alone, against about 40 % with the GIL released on two busy cores)
    print(f"counted {rate:.0f}/s during the run, {baseline:.0f}/s alone")
    assert rate > 0.12 * baseline, f"counted {rate:.0f}/s during the run against {baseline:.0f}/s alone"
