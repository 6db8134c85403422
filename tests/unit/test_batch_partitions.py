"""The batch job's analysis partitions: at least two per core, at most
`ROWS_PER_PARTITION` raw records each, so what one task holds and persists is bounded
whatever N (the 20k run on local[1] with two partitions of 10,000 articles ran the JVM out
of heap)."""
from __future__ import annotations

from rasid.batch.job import ROWS_PER_PARTITION, count_partitions


def test_small_inputs_get_two_partitions_per_core():
    assert count_partitions(0, 1) == 2
    assert count_partitions(100, 2) == 4
    assert count_partitions(4 * ROWS_PER_PARTITION, 2) == 4


def test_large_inputs_get_partitions_of_bounded_size():
    for records in (4 * ROWS_PER_PARTITION + 1, 20_000, 1_000_000):
        for cores in (1, 2, 8):
            n = count_partitions(records, cores)
            assert -(-records // n) <= ROWS_PER_PARTITION  # the largest share of an even split
            assert n >= 2 * cores
    assert count_partitions(20_000, 1) == count_partitions(20_000, 2) == 20_000 // ROWS_PER_PARTITION
