"""What `make serve` registers: prefect.yaml's deployments with their `{{ $VAR }}` folders filled in, each
built on its flow with its schedules, parameters and tags, one run at a time.

The whole of the project's prefect.yaml is checked in tests/test_deployments.py; here the filling-in
and the building are tested on small prefect.yaml files in tmp_path. `main()` serves until stopped and is
not run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kinerja.serve import build_deployments, load_deployment_specs, template_defaults
from kinerja.settings import get_settings
from stages import registry

REPO = Path(__file__).resolve().parents[2]
FOLDERS = ("KINERJA_PROJECT_DIR", "KINERJA_INPUT_DIR", "KINERJA_OUTPUT_DIR")


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The data folder in tmp_path, none of the folder variables set."""
    for name in FOLDERS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def write_yaml(folder: Path, text: str) -> Path:
    path = folder / "prefect.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_folders_default_to_the_data_folder(data_dir: Path) -> None:
    assert template_defaults() == {
        "KINERJA_PROJECT_DIR": str(REPO),
        "KINERJA_INPUT_DIR": str(data_dir / "input"),
        "KINERJA_OUTPUT_DIR": str(data_dir / "output"),
    }


def test_placeholders_are_filled_from_the_environment_then_the_defaults(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KINERJA_INPUT_DIR", "/srv/kinerja/masuk")
    monkeypatch.delenv("KINERJA_TIDAK_ADA", raising=False)
    path = write_yaml(tmp_path, """
name: uji
pull:
  - step: "{{ $KINERJA_INPUT_DIR }}"
deployments:
  - name: satu
    entrypoint: flows/validation.py:validation
    description: "Arsip di {{$KINERJA_OUTPUT_DIR}}/arsip"
    tags: ["{{ $KINERJA_INPUT_DIR }}", tetap]
    parameters:
      input_dir: "{{ $KINERJA_INPUT_DIR }}"
      output_dir: "{{ $KINERJA_OUTPUT_DIR }}"
      kosong: "{{ $KINERJA_TIDAK_ADA }}"
      tahun: 2026
      dokumen: null
      ulang: true
  - name: dua
    entrypoint: flows/cycle.py:cycle
""")
    first, second = load_deployment_specs(path)
    assert first == {
        "name": "satu", "entrypoint": "flows/validation.py:validation",
        "description": f"Arsip di {data_dir / 'output'}/arsip",
        "tags": ["/srv/kinerja/masuk", "tetap"],
        "parameters": {"input_dir": "/srv/kinerja/masuk", "output_dir": str(data_dir / "output"),
                       "kosong": "", "tahun": 2026, "dokumen": None, "ulang": True},
    }
    assert second == {"name": "dua", "entrypoint": "flows/cycle.py:cycle"}


def test_the_projects_deployments_read_and_write_under_the_data_folder(data_dir: Path) -> None:
    specs = load_deployment_specs()
    assert specs and all(
        (s["parameters"]["input_dir"], s["parameters"]["output_dir"])
        == (str(data_dir / "input"), str(data_dir / "output")) for s in specs)


def test_deployments_are_built_on_their_flows_one_run_at_a_time(data_dir: Path, tmp_path: Path) -> None:
    path = write_yaml(tmp_path, """
deployments:
  - name: validasi-dua-kali
    entrypoint: flows/validation.py:validation
    description: Validasi Januari dan Juli
    tags: [kinerja, uji]
    parameters:
      input_dir: "{{ $KINERJA_INPUT_DIR }}"
      pemicu: jadwal
    schedules:
      - cron: "0 7 17 1 *"
        timezone: Asia/Jakarta
      - cron: "30 6 1 7 *"
        timezone: UTC
      - cron: "0 8 2 2 *"
  - name: siklus-manual
    entrypoint: flows/cycle.py:cycle
""")
    validasi, siklus = build_deployments(path)
    assert (validasi.flow_name, validasi.name) == ("validation", "validasi-dua-kali")
    assert [(s.schedule.cron, s.schedule.timezone) for s in validasi.schedules] == [
        ("0 7 17 1 *", "Asia/Jakarta"), ("30 6 1 7 *", "UTC"), ("0 8 2 2 *", "Asia/Jakarta")]
    assert validasi.parameters == {"input_dir": str(data_dir / "input"), "pemicu": "jadwal"}
    assert validasi.tags == ["kinerja", "uji"] and validasi.description == "Validasi Januari dan Juli"
    assert (siklus.flow_name, siklus.name) == ("cycle", "siklus-manual")
    assert not siklus.schedules and siklus.parameters == {} and siklus.tags == []
    assert validasi.concurrency_limit == siklus.concurrency_limit == 1


def test_a_stale_entrypoint_fails_the_build(data_dir: Path, tmp_path: Path) -> None:
    path = write_yaml(tmp_path, """
deployments:
  - name: hilang
    entrypoint: flows/validation.py:tidak_ada
""")
    from prefect.exceptions import MissingFlowError

    with pytest.raises(MissingFlowError, match="'tidak_ada' not found"):
        build_deployments(path)


def demo_ran(data_dir: Path, tahun: int = 2026) -> None:
    """What `make demo` leaves: the demo's input files and its output folder for the year."""
    (data_dir / "demo" / "input").mkdir(parents=True)
    (data_dir / "demo" / "input" / "unit_kerja.csv").write_text("kode_unit\n", encoding="utf-8")
    (data_dir / "demo" / "output" / str(tahun)).mkdir(parents=True)


def test_after_the_demo_an_empty_input_folder_serves_the_demo_of_its_year(data_dir: Path) -> None:
    demo_ran(data_dir, 2026)
    (data_dir / "input").mkdir(parents=True)
    (data_dir / "input" / ".gitkeep").touch()  # a hidden file is not input
    assert template_defaults()["KINERJA_INPUT_DIR"] == str(data_dir / "demo" / "input")
    assert template_defaults()["KINERJA_OUTPUT_DIR"] == str(data_dir / "demo" / "output")
    specs = load_deployment_specs()
    assert specs and all(
        (s["parameters"]["tahun"], s["parameters"]["input_dir"], s["parameters"]["output_dir"])
        == (2026, str(data_dir / "demo" / "input"), str(data_dir / "demo" / "output")) for s in specs)


@pytest.mark.parametrize("own_files", ["in data/input", "KINERJA_INPUT_DIR"])
def test_own_input_files_are_served_instead_of_the_demo(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_files: str
) -> None:
    demo_ran(data_dir)
    if own_files == "KINERJA_INPUT_DIR":
        monkeypatch.setenv("KINERJA_INPUT_DIR", str(tmp_path / "masuk"))
        expected = str(tmp_path / "masuk")
    else:
        (data_dir / "input").mkdir()
        (data_dir / "input" / "kinerja.xlsx").write_bytes(b"")
        expected = str(data_dir / "input")
    assert template_defaults()["KINERJA_OUTPUT_DIR"] == str(data_dir / "output")
    for spec in load_deployment_specs():
        assert "tahun" not in spec["parameters"], "the year comes from the run date"
        assert (spec["parameters"]["input_dir"], spec["parameters"]["output_dir"]) == (
            expected, str(data_dir / "output"))


def test_serve_says_which_folders_it_serves_and_creates_them(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import prefect

    from kinerja import serve

    demo_ran(data_dir, 2025)
    served: list = []
    monkeypatch.setattr(prefect, "serve", lambda *deployments: served.extend(deployments))
    serve.main()
    out = capsys.readouterr().out
    assert out.startswith(
        f"{data_dir / 'input'} belum berisi berkas: deployment memakai data demo tahun 2025 / holds no files "
        "yet: the deployments use the demo data of 2025 (")
    assert f"Input: {data_dir / 'demo' / 'input'} → output: {data_dir / 'demo' / 'output'}\n" in out
    assert len(served) == len(registry.STAGES) + 1  # every stage's deployment and the cycle's
    assert all(d.parameters["tahun"] == 2025 for d in served)
    assert not (data_dir / "input").exists() and (data_dir / "demo" / "output").is_dir()
