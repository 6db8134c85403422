"""Issue 15, item 6 at the command line: counts must be positive; a generated write token
goes to a file only its owner can read, and never into the log."""
from __future__ import annotations

import pytest

from rasid.cli.main import main


@pytest.mark.parametrize("argv", [
    ["search", "باريس", "--limit", "-5"], ["entities", "--limit", "0"],
    ["places", "--limit", "-1"], ["entity", "أولاند", "--limit", "x"], ["stories", "--limit", "-3"],
])
def test_negative_or_zero_limits_are_usage_errors(argv, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main([argv[0], "--db", str(tmp_path / "a.db"), *argv[1:]])
    assert exc.value.code == 2
    assert "--limit" in capsys.readouterr().err


def test_analyze_rejects_an_article_over_the_limit(tmp_path, capsys):
    from rasid.doc import MAX_ARTICLE_CHARS

    path = tmp_path / "long.txt"
    path.write_text("عنوان\n\n" + "كلمة " * (MAX_ARTICLE_CHARS // 5 + 10), encoding="utf-8")
    assert main(["analyze", str(path)]) == 3  # nothing could be read
    err = capsys.readouterr().err
    assert f"rejected {path}" in err and str(MAX_ARTICLE_CHARS) in err
