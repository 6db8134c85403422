"""`Phases.run_side_by_side`: the chains of derived tables run at once (each in its own
thread, so Spark can hand one chain's idle task slot to another), each chain's phases in
order, every phase reported with its own seconds, and an error in one chain raised once the
others have ended. No Spark session (the chains are plain threads); what the job
descriptions were set to is recorded."""
from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from rasid.batch.job import Phases


def make_phases() -> tuple[Phases, list[str]]:
    described: list[str] = []
    spark = SimpleNamespace(sparkContext=SimpleNamespace(setJobDescription=described.append))
    return Phases(spark), described


def test_chains_run_at_once_and_each_in_order(capsys):
    phases, described = make_phases()
    barrier = threading.Barrier(3, timeout=10)  # broken (an error) unless all three wait at once
    done: list[str] = []

    def step(name: str, wait: bool = False):
        def run() -> None:
            if wait:
                barrier.wait()
            done.append(name)
        return run

    phases.run_side_by_side([[("a1", step("a1", True)), ("a2", step("a2"))],
                             [("b1", step("b1", True))], [("c1", step("c1", True))]])
    assert done.index("a1") < done.index("a2")
    assert set(phases.seconds) == {"a1", "a2", "b1", "c1"}
    assert set(described) == {f"rasid batch: {n}" for n in ("a1", "a2", "b1", "c1")}
    err = capsys.readouterr().err
    assert all(f"rasid batch: {n} done in" in err for n in ("a1", "a2", "b1", "c1"))


def test_an_error_in_one_chain_is_raised_after_the_others_end():
    phases, _ = make_phases()
    ended: list[str] = []

    def fail() -> None:
        raise ValueError("stage failed")

    def slow() -> None:
        time.sleep(0.3)
        ended.append("slow")

    with pytest.raises(ValueError, match="stage failed"):
        phases.run_side_by_side([[("bad", fail), ("never", lambda: ended.append("never"))], [("slow", slow)]])
    assert ended == ["slow"]
    assert "slow" in phases.seconds and "never" not in phases.seconds
