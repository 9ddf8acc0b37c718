"""Domain validators for YAML blocks: the tool each ecosystem trusts, run offline.

GitHub Actions workflows go through check-jsonschema's bundled schema, Kubernetes manifests
through kubernetes-validate's bundled schemas, Ansible playbooks through
``ansible-playbook --syntax-check`` and CloudFormation templates through cfn-lint. A block is
recognised by its shape; when the tool is missing it stays at the parsed tier, and the
verdict names the missing tool.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.content import CodeBlock
from playbook.examples.toolchains import located, run, scratch, which
from playbook.examples.verdict import COMPILED, PARSED, Verdict


@dataclass(frozen=True)
class YamlValidator:
    name: str
    matches: Callable[[CodeBlock, list[Any]], bool]
    check: Callable[[CodeBlock], Verdict]


def _is_workflow(block: CodeBlock, docs: list[Any]) -> bool:
    return len(docs) == 1 and isinstance(docs[0], dict) and "jobs" in docs[0] and (
        "on" in docs[0] or True in docs[0]  # YAML 1.1 reads the key `on` as True
    )


def _is_action(block: CodeBlock, docs: list[Any]) -> bool:
    return len(docs) == 1 and isinstance(docs[0], dict) and "runs" in docs[0] \
        and "name" in docs[0]


def _is_k8s(block: CodeBlock, docs: list[Any]) -> bool:
    return bool(docs) and all(isinstance(d, dict) and "apiVersion" in d and "kind" in d
                              for d in docs)


def _is_playbook(block: CodeBlock, docs: list[Any]) -> bool:
    return len(docs) == 1 and isinstance(docs[0], list) and bool(docs[0]) and all(
        isinstance(p, dict) and ("hosts" in p or "import_playbook" in p
                                 or "ansible.builtin.import_playbook" in p)
        for p in docs[0]
    )


def _is_cloudformation(block: CodeBlock, docs: list[Any]) -> bool:
    return len(docs) == 1 and isinstance(docs[0], dict) and (
        "AWSTemplateFormatVersion" in docs[0]
        or any(isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::")
               for r in (docs[0].get("Resources") or {}).values())
    )


def _tool_check(block: CodeBlock, tool: str, args: list[str], filename: str,
                label: str, *, ok_codes: tuple[int, ...] = (0,),
                unchecked_if: str | None = None) -> Verdict:
    """Run a validator on the block as `filename`. `unchecked_if`: a phrase in the output of a
    passing run meaning the tool did not really check the block (it stays at the parse tier)."""
    exe = which(tool)
    if exe is None:
        return Verdict(PARSED, [], "pyyaml", [tool])
    with scratch() as tmp:
        path = Path(tmp) / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.source, encoding="utf-8")
        result = run([exe, *[a.replace("{file}", str(path)) for a in args]], cwd=Path(tmp),
                     timeout=180, env={"ANSIBLE_LOCALHOST_WARNING": "False",
                                       "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
                                       "ANSIBLE_NOCOLOR": "1"})
        output = (result.stdout + "\n" + result.stderr).strip()
        output = re.sub(r"\x1b\[[0-9;]*m", "", output)
        if result.returncode in ok_codes:
            if unchecked_if and unchecked_if in output.lower():
                return Verdict(PARSED, [], f"pyyaml ({label} had nothing to check it against)")
            return Verdict(COMPILED, [], label)
        return Verdict(COMPILED, located(block.first_line, output, path.name, label), label)


def check_workflow(block: CodeBlock) -> Verdict:
    return _tool_check(block, "check-jsonschema",
                       ["--builtin-schema", "vendor.github-workflows", "{file}"],
                       "workflow.yml", "check-jsonschema (GitHub workflow)")


def check_action(block: CodeBlock) -> Verdict:
    return _tool_check(block, "check-jsonschema",
                       ["--builtin-schema", "vendor.github-actions", "{file}"],
                       "action.yml", "check-jsonschema (GitHub action)")


def check_k8s(block: CodeBlock) -> Verdict:
    # kubernetes-validate only warns (exit 0) for kinds it has no schema for, e.g. CRDs.
    return _tool_check(block, "kubernetes-validate", ["--strict", "{file}"], "manifest.yaml",
                       "kubernetes-validate", unchecked_if="couldn't find schema")


def _is_compose(block: CodeBlock, docs: list[Any]) -> bool:
    return len(docs) == 1 and isinstance(docs[0], dict) and isinstance(docs[0].get("services"),
                                                                       dict)


def _is_dependabot(block: CodeBlock, docs: list[Any]) -> bool:
    return len(docs) == 1 and isinstance(docs[0], dict) and "updates" in docs[0] \
        and docs[0].get("version") == 2


def _is_gitlab_ci(block: CodeBlock, docs: list[Any]) -> bool:
    if len(docs) != 1 or not isinstance(docs[0], dict):
        return False
    data = docs[0]
    return "stages" in data or any(isinstance(v, dict) and "script" in v for v in data.values())


def _schema_check(schema: str, filename: str, label: str) -> Callable[[CodeBlock], Verdict]:
    def check(block: CodeBlock) -> Verdict:
        return _tool_check(block, "check-jsonschema", ["--builtin-schema", schema, "{file}"],
                           filename, f"check-jsonschema ({label})")

    return check


def check_playbook(block: CodeBlock) -> Verdict:
    return _tool_check(block, "ansible-playbook", ["--syntax-check", "-i", "localhost,",
                                                   "{file}"],
                       "playbook.yml", "ansible-playbook --syntax-check")


def check_cloudformation(block: CodeBlock) -> Verdict:
    # cfn-lint exits 4 for warnings only, 2 for errors, 8 for informational findings.
    return _tool_check(block, "cfn-lint", ["--format", "parseable", "{file}"], "template.yaml",
                       "cfn-lint", ok_codes=(0, 4, 8, 12))


YAML_VALIDATORS = [
    YamlValidator("github-workflow", _is_workflow, check_workflow),
    YamlValidator("github-action", _is_action, check_action),
    YamlValidator("kubernetes", _is_k8s, check_k8s),
    YamlValidator("ansible", _is_playbook, check_playbook),
    YamlValidator("cloudformation", _is_cloudformation, check_cloudformation),
    YamlValidator("compose", _is_compose,
                  _schema_check("vendor.compose-spec", "compose.yaml", "Compose spec")),
    YamlValidator("dependabot", _is_dependabot,
                  _schema_check("vendor.dependabot", "dependabot.yml", "Dependabot")),
    YamlValidator("gitlab-ci", _is_gitlab_ci,
                  _schema_check("vendor.gitlab-ci", ".gitlab-ci.yml", "GitLab CI")),
]
