"""What every generated page shares: the repository URL (from ``mkdocs.yml``) and the map of
where each source file is published, which link rewriting reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from playbook.content import Catalogue
from playbook.export import files

DEFAULT_REPO_URL = "https://github.com/playbook-dev/playbook"
BRANCH = "main"
IMAGES = (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp")
GUIDE = "guide"  # the hand-written guide pages (docs/guide/) that the generated pages link to


@dataclass
class Site:
    root: Path
    repo_url: str
    pages: dict[str, str]  # repository path -> docs path of the page (or file) made from it

    @property
    def slug(self) -> str:
        """``owner/repo`` for ``/plugin marketplace add``."""
        path = self.repo_url.split("://", 1)[-1].split("/", 1)[-1]
        return path.strip("/").removesuffix(".git")

    def source_url(self, rel: str) -> str:
        kind = "tree" if (self.root / rel).is_dir() else "blob"
        return f"{self.repo_url}/{kind}/{BRANCH}/{rel}"


def repo_url(root: Path) -> str:
    """``repo_url`` from the repository's mkdocs.yml, or the default. The file is read with the
    safe loader, so it must stay free of ``!!python`` tags (one that has them reads as absent)."""
    try:
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return DEFAULT_REPO_URL
    url = config.get("repo_url") if isinstance(config, dict) else None
    return url.rstrip("/") if isinstance(url, str) and url.strip() else DEFAULT_REPO_URL


def rel_of(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def site_of(catalogue: Catalogue) -> Site:
    """The shared context: each source's page, each image beside a skill, the rule table."""
    root = catalogue.root
    pages: dict[str, str] = {}
    for doc in catalogue.skills:
        pages[rel_of(doc.path, root)] = f"skills/{doc.name}/index.md"
        folder = doc.path.parent
        for path in folder.rglob("*"):
            inner = path.relative_to(folder).as_posix()
            if path.suffix.lower() in IMAGES and path.is_file() and not any(
                    files.is_junk(part) for part in inner.split("/")):
                pages[rel_of(path, root)] = f"skills/{doc.name}/{inner}"
    for doc in catalogue.references:
        rel = rel_of(doc.path, root)
        pages[rel] = rel
    for doc in catalogue.agents:
        pages[rel_of(doc.path, root)] = f"agents/{doc.name}/index.md"
    for hook in catalogue.hooks:
        pages[rel_of(hook.path, root)] = f"hooks/{hook.name}/index.md"
    pages["hooks/hooks.json"] = "hooks/index.md"
    pages["scripts/playbook/rules.py"] = "catalog/rules.md"
    return Site(root, repo_url(root), pages)
