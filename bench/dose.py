"""The RDSR dose import (issue 20, item 5): reading a vendor's dose report into our summary, against the bare
`pydicom.dcmread` of the same file, which any reader of the file pays."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tace_log.rdsr import DoseFileError, read_dose_report

from .result import Result, median_seconds

ROOT = Path(__file__).resolve().parent.parent
WHEELS = ROOT / ".venv" / "wheels"  # the pyskindose wheel `make` downloads (MIT), never installed


def vendor_files(work: Path) -> list[Path]:
    """The pseudonymised vendor RDSRs of the pyskindose wheel, unpacked once into `work`."""
    wheels = sorted(WHEELS.glob("pyskindose-*.whl"))
    if not wheels:
        return []
    folder = work / "rdsr"
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheels[-1]) as wheel:
        for name in wheel.namelist():
            if name.endswith(".dcm") and "/RDSR/" in name:
                (folder / Path(name).name).write_bytes(wheel.read(name))
    return sorted(folder.glob("*.dcm"))


def dose_import(work: Path, runs: int = 30) -> list[Result]:
    import pydicom

    files = [path for path in vendor_files(work) if _readable(path)]
    if not files:
        return [Result("RDSR dose import", float("nan"), None, "ms",
                       note="no vendor RDSR files: run make (it downloads the pyskindose wheel)")]
    ours = sum(median_seconds(lambda p=path: read_dose_report(p), runs) for path in files) * 1000
    bare = sum(median_seconds(lambda p=path: pydicom.dcmread(p), runs) for path in files) * 1000
    size = sum(path.stat().st_size for path in files)
    return [Result(f"RDSR dose import, {len(files)} vendor files (sum of medians)", ours, bare, "ms",
                   ratio=ours / bare, target="ratio <= 1.5", ok=ours / bare <= 1.5,
                   note=f"{size / 1024:.0f} KB in all, {runs} runs each; baseline: pydicom.dcmread alone")]


def _readable(path: Path) -> bool:
    """Whether the file is a dose report we read (some of the wheel's files are other SRs, or lack totals)."""
    try:
        read_dose_report(path)
    except DoseFileError:  # a file the product refuses, with its reason, is not timed
        return False
    return True
