"""Issue 15, item 6 at the command line: counts must be positive; a generated write token
goes to a file only its owner can read, and never into the log."""
from __future__ import annotations

import stat

import pytest

from rasid.cli.main import main
from rasid.cli.serve_cmds import write_token_file


@pytest.mark.parametrize("argv", [
    ["search", "باريس", "--limit", "-5"], ["entities", "--limit", "0"],
    ["places", "--limit", "-1"], ["entity", "أولاند", "--limit", "x"], ["stories", "--limit", "-3"],
])
def test_negative_or_zero_limits_are_usage_errors(argv, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main([argv[0], "--db", str(tmp_path / "a.db"), *argv[1:]])
    assert exc.value.code == 2
    assert "--limit" in capsys.readouterr().err


def test_generated_token_file_is_private(tmp_path):
    archive = tmp_path / "archive.db"
    path = write_token_file("s3cret-token", str(archive))
    assert path == tmp_path / "archive.db.token"
    assert path.read_text().strip() == "s3cret-token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = write_token_file("other", str(archive))  # a new run replaces it, still private
    assert again.read_text().strip() == "other" and stat.S_IMODE(again.stat().st_mode) == 0o600
    elsewhere = write_token_file("t", ":memory:")
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o600 and stat.S_IMODE(elsewhere.parent.stat().st_mode) == 0o700


def test_analyze_rejects_an_article_over_the_limit(tmp_path, capsys):
    from rasid.doc import MAX_ARTICLE_CHARS

    path = tmp_path / "long.txt"
    path.write_text("عنوان\n\n" + "كلمة " * (MAX_ARTICLE_CHARS // 5 + 10), encoding="utf-8")
    assert main(["analyze", str(path)]) == 3  # nothing could be read
    err = capsys.readouterr().err
    assert f"rejected {path}" in err and str(MAX_ARTICLE_CHARS) in err
