"""A file written atomically is whole or absent: a failure mid-write leaves the old file and no leftovers."""

import pytest

from tace_log.errors import TaceLogError
from tace_log.files import atomic_file


def test_a_failure_mid_write_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "export.json"
    target.write_text("the previous export")
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write("half of a new")
        raise RuntimeError("the disk went away")
    assert target.read_text() == "the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_a_whole_write_replaces_the_file(tmp_path):
    target = tmp_path / "report.pdf"
    with atomic_file(target, "wb") as handle:
        handle.write(b"%PDF-1.4")
    assert target.read_bytes() == b"%PDF-1.4"


def test_an_unwritable_folder_is_one_clear_error(tmp_path):
    with pytest.raises(TaceLogError, match="cannot write"), atomic_file(tmp_path / "absent" / "x.json"):
        pass
