"""Install the course's JupyterLab defaults into an environment, so a class opens without prompts.

JupyterLab reads ``<prefix>/share/jupyter/lab/settings/overrides.json`` as the defaults of its
settings (https://jupyterlab.readthedocs.io/en/stable/user/directories.html#overrides-json).
The course turns off the prompt "Would you like to receive official Jupyter news?" and the
update check, which would otherwise greet every student on first launch and try to reach the
internet. A student can still change both in Settings; nothing is written to the repository.

Run by ``make lab``/``make test`` (into ``.venv``) and by Binder's ``postBuild`` (into the image).
Usage: ``python tools/lab_settings.py [PREFIX]`` (default: the running interpreter's ``sys.prefix``).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

#: The settings the course overrides, by JupyterLab plugin id.
OVERRIDES: dict[str, dict[str, object]] = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",  # "Never": no news prompt, no request to the news feed
        "checkForUpdates": False,
    },
}


def overrides_path(prefix: str | Path) -> Path:
    """Where JupyterLab looks for ``overrides.json`` in the environment at ``prefix``."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def install(prefix: str | Path) -> Path:
    """Merge :data:`OVERRIDES` into ``prefix``'s ``overrides.json`` (other plugins' keys are kept)."""
    prefix = Path(prefix)
    if not prefix.is_dir():
        raise ValueError(f"prefix must be an existing environment directory, got {str(prefix)!r}")
    path = overrides_path(prefix)
    current: dict[str, dict[str, object]] = {}
    if path.exists():
        current = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(current, dict):
            raise ValueError(f"{path} must hold a JSON object, got {type(current).__name__}")
    for plugin, values in OVERRIDES.items():
        current.setdefault(plugin, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"JupyterLab defaults written to {install(sys.argv[1] if len(sys.argv) > 1 else sys.prefix)}")
