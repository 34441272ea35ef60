"""Serve the deployments of prefect.yaml on the local Prefect server so their schedules fire.

`make serve` runs `python -m kinerja.serve`: every deployment is registered with its cron
schedules (Asia/Jakarta), parameters, tags and a concurrency limit of one run at a time, then this
process executes the scheduled and UI-triggered runs until stopped (Ctrl+C).
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
    return {
        "KINERJA_PROJECT_DIR": str(PROJECT_DIR),
        "KINERJA_INPUT_DIR": str(data / "input"),
        "KINERJA_OUTPUT_DIR": str(data / "output"),
    }


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
    return [_resolve(d, defaults) for d in spec["deployments"]]


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

    for folder in ("KINERJA_INPUT_DIR", "KINERJA_OUTPUT_DIR"):
        Path(os.environ.get(folder, template_defaults()[folder])).mkdir(parents=True, exist_ok=True)
    deployments = build_deployments()
    print(f"Melayani {len(deployments)} deployment / serving {len(deployments)} deployments:")
    for d in deployments:
        print(f"  • {d.flow_name}/{d.name}")
    serve(*deployments)


if __name__ == "__main__":
    main()
