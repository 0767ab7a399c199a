import os
from pathlib import Path

import pytest

import geo.atomic
from geo.atomic import replacing, write_atomic
from geo.errors import OutputError


def test_write_atomic_writes_text_as_utf8_readable_by_others(tmp_path: Path):
    out = write_atomic(tmp_path / "sub" / "m.html", "Léogâne\n", what="the map")
    assert out.read_bytes() == "Léogâne\n".encode()
    assert out.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in out.parent.iterdir()) == ["m.html"]


def test_a_failed_move_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "m.html"
    out.write_text("old", encoding="utf-8")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(geo.atomic.os, "replace", refuse)
    with pytest.raises(OutputError, match=r"m\.html: cannot write the map \(Permission denied\)"):
        write_atomic(out, "new", what="the map")
    assert out.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["m.html"]


def test_replacing_keeps_the_suffix_and_drops_the_temporary_on_error(tmp_path: Path):
    out = tmp_path / "x.gpkg"
    with pytest.raises(RuntimeError), replacing(out) as tmp:
        assert tmp.suffix == ".gpkg" and tmp.parent == tmp_path
        raise RuntimeError("writer failed")
    assert list(tmp_path.iterdir()) == []
