"""``settings.json``: our hook registrations and ``"model": "opusplan"``, merged into the user's.

The user's keys, permissions, env and own hooks stay byte for byte (the file is edited as text,
see :mod:`playbook.export.jsonedit`). Each of our hook groups is added once, and the manifest
records exactly what we added, so that a later export can update it, and ``--remove`` can take
it out, without touching anything else. When the user has changed or removed one of our
entries since, it is left as it is and reported (``--force`` puts ours back). A ``model`` the
user chose is never replaced.
"""

from __future__ import annotations

import json
from typing import Any

from playbook import rules
from playbook.export import jsonedit
from playbook.export.errors import ExportError
from playbook.export.plan import Outcome, Part, Record, Selected, everything, register

MODEL = "opusplan"
POLICY_ITEM = "policy"


def _command(group: dict[str, Any]) -> str:
    """What identifies a hook group: its handlers' commands; for exec-form handlers, which share
    a program (python3), the last argument (the launcher) and the `if` condition."""
    return " ".join(
        " ".join([str(h.get("command", "")), *map(str, h.get("args", [])[-1:]),
                  *([f"if {h['if']}"] if "if" in h else [])])
        for h in group.get("hooks", [group]))  # Cursor's entries are handlers themselves


def _parse(rel: str, current: bytes | None) -> tuple[str, dict[str, Any]]:
    if current is None:
        return "", {}
    try:
        text = current.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        raise ExportError(rel, "is not UTF-8; fix or move it, nothing was written",
                          code=rules.USER_FILE) from exc
    except json.JSONDecodeError as exc:
        raise ExportError(rel, f"is not valid JSON ({exc.msg}); fix it, nothing was written",
                          exc.lineno, exc.colno, code=rules.USER_FILE) from exc
    if not isinstance(data, dict):
        raise ExportError(rel, "must hold a JSON object; nothing was written",
                          code=rules.USER_FILE)
    hooks = data.get("hooks", {})
    if not isinstance(hooks, dict) or not all(isinstance(v, list) for v in hooks.values()):
        raise ExportError(rel, "'hooks' must map each event to a list; nothing was written",
                          code=rules.USER_FILE)
    return text, data


class _Editor:
    """The settings text and its parsed value, edited together."""

    def __init__(self, text: str, data: dict[str, Any]) -> None:
        self.text = text or "{}\n"
        self.data = data

    def groups(self, event: str) -> list[Any]:
        return list(self.data.get("hooks", {}).get(event, []))

    def has(self, event: str, group: dict[str, Any]) -> bool:
        return group in self.groups(event)

    def add_group(self, event: str, group: dict[str, Any]) -> None:
        root = jsonedit.spans(self.text)
        hooks = root.member("hooks")
        if hooks is None:
            self.text = jsonedit.add_member(self.text, root, "hooks", {event: [group]})
        else:
            groups = hooks.member(event)
            if groups is None:
                self.text = jsonedit.add_member(self.text, hooks, event, [group])
            else:
                self.text = jsonedit.insert_items(self.text, groups, [group])
        self.data = json.loads(self.text)

    def remove_group(self, event: str, group: dict[str, Any]) -> None:
        root = jsonedit.spans(self.text)
        hooks = root.member("hooks")
        assert hooks is not None
        groups = hooks.member(event)
        assert groups is not None
        index = max(i for i, g in enumerate(self.groups(event)) if g == group)
        if len(groups.items) == 1:
            self.text = jsonedit.remove_member(self.text, hooks, event)
        else:
            self.text = jsonedit.remove_item(self.text, groups, index)
        self.data = json.loads(self.text)

    def drop_empty_hooks(self) -> None:
        if self.data.get("hooks") == {}:
            self.text = jsonedit.remove_member(self.text, jsonedit.spans(self.text), "hooks")
            self.data = json.loads(self.text)

    def set_model(self, value: str) -> None:
        root = jsonedit.spans(self.text)
        node = root.member("model")
        if node is None:
            self.text = jsonedit.add_member(self.text, root, "model", value)
        else:
            self.text = jsonedit.replace_value(self.text, node, value)
        self.data = json.loads(self.text)

    def remove_model(self) -> None:
        self.text = jsonedit.remove_member(self.text, jsonedit.spans(self.text), "model")
        self.data = json.loads(self.text)


@register
class SettingsPart(Part):
    """Our hooks (one group per registration) and model, merged into ``settings.json``.

    ``entries`` are ``(item, event, group)``; ``item`` (``hook:<name>``) is what ``--only``
    selects. ``model`` is None when the policy is not part of this export.
    """

    kind = "settings"

    def __init__(self, rel: str, entries: list[tuple[str, str, dict[str, Any]]],
                 model: str | None, selected: Selected = everything,
                 skeleton: dict[str, Any] | None = None) -> None:
        self.rel = rel
        self.entries = entries
        self.model = model
        self.selected = selected
        self.skeleton = skeleton or {}  # members a file we create starts with ("version": 1)

    def render(self, current: bytes | None, record: Record | None, force: bool) -> Outcome:
        text, data = _parse(self.rel, current)
        record = record or {}
        edit = _Editor(text, data)
        if current is None and self.skeleton:
            edit = _Editor(json.dumps(self.skeleton, indent=2) + "\n", dict(self.skeleton))
        notes: list[str] = []
        hooks = self._merge_hooks(edit, record.get("hooks", []), force, notes)
        model = self._merge_model(edit, record.get("model"), force, notes)
        if data.get("hooks") != {}:
            edit.drop_empty_hooks()
        if current is None and not (hooks or model):
            return Outcome(None, None, notes)
        new = edit.text.encode("utf-8") if edit.text != text else current
        mine = _record(record.get("created", current is None), hooks, model)
        if mine is not None and mine["created"] and self.skeleton:
            mine["skeleton"] = self.skeleton  # what --remove may delete the file with
        return Outcome(new, mine, notes)

    def _merge_hooks(self, edit: _Editor, recorded: list[Record], force: bool,
                     notes: list[str]) -> list[Record]:
        ours = {(e["event"], _command(e["group"])): e for e in recorded}
        kept: list[Record] = []
        for item, event, group in self.entries:
            entry = {"item": item, "event": event, "group": group}
            old = ours.pop((event, _command(group)), None)
            if edit.has(event, group):
                if old is not None:
                    kept.append(entry)
                continue
            same_command = [g for g in edit.groups(event) if _command(g) == _command(group)]
            if old is not None and old["group"] in same_command:
                edit.remove_group(event, old["group"])  # our previous version: update it
            elif same_command or old is not None:
                if not force:
                    notes.append(f"hook {event} {_command(group)} was changed, removed or "
                                 "registered by you; left as it is (--force puts ours in)")
                    if old is not None:
                        kept.append(old)
                    continue
                for other in same_command:
                    edit.remove_group(event, other)
            edit.add_group(event, group)
            kept.append(entry)
        for old in ours.values():  # ours before, no longer part of the content
            if self._drops(old) and edit.has(old["event"], old["group"]):
                edit.remove_group(old["event"], old["group"])
            elif not self._drops(old):
                kept.append(old)
        return kept

    def _drops(self, old: Record) -> bool:
        """Whether an entry we wrote before and no longer plan is for this export to remove."""
        return self.selected(old["item"])

    def _merge_model(self, edit: _Editor, recorded: str | None, force: bool,
                     notes: list[str]) -> str | None:
        if self.model is None:
            return recorded  # the policy is not part of this --only selection
        current = edit.data.get("model")
        if current == self.model:
            return self.model if recorded is not None else None
        if current is None and recorded is not None and not force:
            notes.append("'model' was removed since the last export; left out "
                         f"(--force sets {self.model!r})")
            return recorded
        if current is not None and recorded is None:
            notes.append(f"kept your 'model' {current!r} (the policy suggests {self.model!r})")
            return None
        if current is not None and current != recorded and not force:
            notes.append(f"'model' was changed to {current!r} since the last export; kept "
                         f"(--force sets {self.model!r})")
            return recorded
        edit.set_model(self.model)
        return self.model

    @classmethod
    def remove(cls, rel: str, current: bytes | None, record: Record, force: bool,
               selected: Selected) -> Outcome:
        if current is None:
            return Outcome(None, None)
        text, data = _parse(rel, current)
        edit = _Editor(text, data)
        kept: list[Record] = []
        notes: list[str] = []
        for entry in record.get("hooks", []):
            event, group = entry["event"], entry["group"]
            if not selected(entry["item"]):
                kept.append(entry)
                continue
            mine = [group] if edit.has(event, group) else [
                g for g in edit.groups(event) if force and _command(g) == _command(group)]
            for other in mine:
                edit.remove_group(event, other)
            if not mine and any(_command(g) == _command(group) for g in edit.groups(event)):
                kept.append(entry)
                notes.append(f"hook {event} {_command(group)} was changed since the export; "
                             "left as it is (--force removes it)")
        edit.drop_empty_hooks()
        model = record.get("model")
        if model and selected(POLICY_ITEM):
            if edit.data.get("model") == model or (force and "model" in edit.data):
                edit.remove_model()
                model = None
            elif "model" not in edit.data:
                model = None
            else:
                notes.append("'model' was changed since the export; left as it is "
                             "(--force removes it)")
        if record.get("created") and not kept and not model and \
                edit.data in ({}, record.get("skeleton")):
            return Outcome(None, None, notes)
        new = edit.text.encode("utf-8") if edit.text != text else current
        return Outcome(new, _record(record.get("created", False), kept, model), notes)


def _record(created: bool, hooks: list[Record], model: str | None) -> Record | None:
    if not hooks and not model:
        return None
    record: Record = {"kind": SettingsPart.kind, "created": created, "hooks": hooks}
    if model:
        record["model"] = model
    return record
