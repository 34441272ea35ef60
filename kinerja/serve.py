"""Serve the deployments of prefect.yaml on the local Prefect server so their schedules fire.

`make serve` runs `python -m kinerja.serve`: every deployment is registered with its cron
schedules (Asia/Jakarta), parameters, tags and a concurrency limit of one run at a time, then this
process executes the scheduled and UI-triggered runs until stopped (Ctrl+C).

Input and output default to the data folder's `input/` and `output/`. Until `input/` holds a file, a
project where `make demo` has run serves the demo instead: `demo/input/` → `demo/output/` for the demo's
year, so the first run pressed in the UI works; `main()` says so.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from kinerja.settings import PROJECT_DIR, get_settings

_TEMPLATE = re.compile(r"\{\{\s*\$([A-Z0-9_]+)\s*\}\}")


def template_defaults() -> dict[str, str]:
    """Values for the `{{ $VAR }}` placeholders of prefect.yaml when the environment has none."""
    data = get_settings().data_dir
    folders = data / "demo" if serving_demo() else data
    return {
        "KINERJA_PROJECT_DIR": str(PROJECT_DIR),
        "KINERJA_INPUT_DIR": str(folders / "input"),
        "KINERJA_OUTPUT_DIR": str(folders / "output"),
    }


def serving_demo() -> bool:
    """The demo is all there is to serve: KINERJA_INPUT_DIR unset, no file in the data folder's input/,
    files in demo/input/."""
    data = get_settings().data_dir
    return ("KINERJA_INPUT_DIR" not in os.environ and not _has_files(data / "input")
            and _has_files(data / "demo" / "input"))


def demo_tahun() -> int | None:
    """The year `make demo` ran the cycle for (its folder demo/output/<tahun>/), when serving the demo."""
    output = get_settings().data_dir / "demo" / "output"
    if not serving_demo() or not output.is_dir():
        return None
    return max((int(p.name) for p in output.iterdir() if p.is_dir() and p.name.isdigit()), default=None)


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() and not p.name.startswith(".") for p in folder.iterdir())


def _resolve(value: Any, defaults: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _TEMPLATE.sub(lambda m: os.environ.get(m.group(1), defaults.get(m.group(1), "")), value)
    if isinstance(value, dict):
        return {k: _resolve(v, defaults) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, defaults) for v in value]
    return value


def load_deployment_specs(path: Path | None = None) -> list[dict[str, Any]]:
    """The deployments of prefect.yaml with their placeholders filled in."""
    spec = yaml.safe_load((path or PROJECT_DIR / "prefect.yaml").read_text(encoding="utf-8"))
    defaults = template_defaults()
    specs = [_resolve(d, defaults) for d in spec["deployments"]]
    tahun = demo_tahun()
    if tahun is not None:  # the demo's data is of one year, whatever the run date
        for d in specs:
            d["parameters"] = {"tahun": tahun, **(d.get("parameters") or {})}
    return specs


def build_deployments(path: Path | None = None) -> list[Any]:
    """RunnerDeployments for every entry of prefect.yaml."""
    from prefect.flows import load_flow_from_entrypoint
    from prefect.schedules import Cron

    deployments = []
    for spec in load_deployment_specs(path):
        flow = load_flow_from_entrypoint(str(PROJECT_DIR / spec["entrypoint"]))
        schedules = [Cron(s["cron"], timezone=s.get("timezone", "Asia/Jakarta"))
                     for s in spec.get("schedules") or []]
        deployments.append(flow.to_deployment(
            name=spec["name"], schedules=schedules or None, parameters=spec.get("parameters") or {},
            tags=spec.get("tags") or [], description=spec.get("description"), concurrency_limit=1,
        ))
    return deployments


def main() -> None:
    from prefect import serve

    defaults = template_defaults()
    input_dir, output_dir = (Path(os.environ.get(name, defaults[name]))
                             for name in ("KINERJA_INPUT_DIR", "KINERJA_OUTPUT_DIR"))
    for folder in (input_dir, output_dir):
        folder.mkdir(parents=True, exist_ok=True)
    if serving_demo():
        tahun = demo_tahun()
        print(f"{get_settings().data_dir / 'input'} belum berisi berkas: deployment memakai data demo"
              f"{f' tahun {tahun}' if tahun else ''} / holds no files yet: the deployments use the demo data"
              f"{f' of {tahun}' if tahun else ''} (berkas sendiri / own files: letakkan di sana atau setel / "
              "put them there or set KINERJA_INPUT_DIR, lalu / then restart make serve)")
    print(f"Input: {input_dir} → output: {output_dir}")
    deployments = build_deployments()
    print(f"Melayani {len(deployments)} deployment / serving {len(deployments)} deployments:")
    for d in deployments:
        print(f"  • {d.flow_name}/{d.name}")
    serve(*deployments)


if __name__ == "__main__":
    main()
