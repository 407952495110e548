"""The unit registry (content/units.yml): a tree of units, looked up by code, name or alias."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field

import yaml

from . import yamlsrc
from .errors import ContentError
from .text import fold, lookup_key, nfc, sort_key

UNIT_KEYS = ("code", "name", "short_name", "aliases", "children")
CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Unit:
    """A unit (đơn vị); `code` is its identity and its URL slug."""

    code: str
    name: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    children: tuple[str, ...] = ()
    depth: int = 0

    @property
    def label(self) -> str:
        """The short form for tight places (breadcrumbs, article meta), the name when there is none."""
        return self.short_name or self.name


@dataclass(frozen=True)
class Registry:
    """All units of a content folder, with the lookups the schema and the importer need."""

    units: dict[str, Unit]
    roots: tuple[str, ...]
    path: str = "units.yml"
    _keys: dict[str, str] = field(default_factory=dict, repr=False)

    def get(self, code: str) -> Unit:
        """Return the unit with this code."""
        return self.units[code]

    def resolve(self, text: str) -> Unit | None:
        """Find the unit an editor meant by its code, name, short name or alias (exact, any tone placement)."""
        code = self._keys.get(lookup_key(text))
        return self.units[code] if code else None

    def suggest(self, text: str, limit: int = 3) -> list[Unit]:
        """Return the units whose names look most like text (unaccented or misspelt)."""
        wanted = " ".join(fold(text).split())
        folded: dict[str, set[str]] = {}
        for key, code in self._keys.items():
            folded.setdefault(" ".join(fold(key).split()), set()).add(code)
        exact = sorted(folded.get(wanted, ()), key=lambda c: sort_key(self.units[c].name))
        close = difflib.get_close_matches(wanted, list(folded), n=limit * 2, cutoff=0.6)
        codes = list(dict.fromkeys(exact + [c for k in close for c in sorted(folded[k])]))
        return [self.units[c] for c in codes[:limit]]

    def ancestors(self, code: str) -> list[Unit]:
        """Return the unit's ancestors, the root first."""
        chain = []
        parent = self.units[code].parent
        while parent:
            chain.append(self.units[parent])
            parent = self.units[parent].parent
        return chain[::-1]

    def descendants(self, code: str) -> list[Unit]:
        """Return the unit and every unit below it, depth first."""
        found = [self.units[code]]
        for child in self.units[code].children:
            found.extend(self.descendants(child))
        return found

    def walk(self) -> list[Unit]:
        """Return every unit, depth first, siblings in Vietnamese order."""
        return [u for root in self.roots for u in self.descendants(root)]


def unit_choices(units: list[Unit], quoted: bool = True) -> str:
    """Name units for an editor to choose between: "Huyện ủy Hớn Quản" (huyen-uy-hon-quan) hay "…" (…)."""
    return " hay ".join(f'"{u.name}" ({u.code})' if quoted else f"{u.name} ({u.code})" for u in units)


def load_registry(path: str, display_path: str | None = None) -> tuple[Registry, list[ContentError]]:
    """Read units.yml; return the registry (possibly partial) and every problem found in it."""
    shown = display_path or path
    if not os.path.isfile(path):
        return _empty(shown), [ContentError(shown, 1, "không tìm thấy tệp danh sách đơn vị — hãy tạo tệp này (xem docs/huong-dan-bien-tap.md)")]
    with open(path, encoding="utf-8-sig") as handle:
        text = nfc(handle.read())
    root, errors = yamlsrc.compose(text, shown, 1)
    if errors:
        return _empty(shown), errors
    if not isinstance(root, yaml.SequenceNode):
        return _empty(shown), [ContentError(shown, 1, "tệp đơn vị phải là một danh sách, mỗi mục bắt đầu bằng '- code: …'")]
    builder = _Builder(shown)
    roots = [builder.add(node, None, 0) for node in root.value]
    return builder.finish([c for c in roots if c]), builder.errors


def _empty(path: str) -> Registry:
    """Return a registry with no units."""
    return Registry({}, (), path)


class _Builder:
    """Collect units from YAML nodes, checking each one."""

    def __init__(self, path: str):
        self.path = path
        self.errors: list[ContentError] = []
        self.fields: dict[str, dict] = {}
        self.keys: dict[str, str] = {}
        self.short_names: dict[str, set[str]] = {}  # a short name finds its unit only when no other unit shares it

    def error(self, node: yaml.Node, message: str) -> None:
        """Record a problem at a node's line."""
        self.errors.append(ContentError(self.path, yamlsrc.line_of(node, 1), message))

    def add(self, node: yaml.Node, parent: str | None, depth: int) -> str | None:
        """Check one unit node and its children; return its code when it is usable."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "mỗi đơn vị phải có dạng 'code: …' và 'name: …'")
            return None
        values = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in UNIT_KEYS:
                self.error(key_node, f'khóa "{key}" không dùng được cho đơn vị — các khóa hợp lệ: {", ".join(UNIT_KEYS)}')
            elif key in values:
                self.error(key_node, f'khóa "{key}" bị lặp')
            else:
                values[key] = value_node
        code = self._text(values.get("code"), node, "code")
        name = self._text(values.get("name"), node, "name")
        if code and not CODE.match(code):
            self.error(values["code"], f'mã đơn vị "{code}" chỉ được gồm chữ thường không dấu, số và dấu gạch nối (ví dụ huyen-uy-hon-quan)')
            code = None
        if code and code in self.fields:
            self.error(values["code"], f'mã đơn vị "{code}" bị trùng')
            code = None
        children_node = values.get("children")
        if not (code and name):
            return None
        short_name = self._text(values.get("short_name"), node, "short_name", required=False) or ""
        aliases = self._aliases(values.get("aliases"))
        self.fields[code] = {"code": code, "name": name, "short_name": short_name, "aliases": aliases, "parent": parent, "depth": depth}
        for label, label_node in [(code, values["code"]), (name, values["name"])] + [(a, n) for a, n in aliases]:
            self._claim(label, code, label_node)
        if short_name:
            self.short_names.setdefault(lookup_key(short_name), set()).add(code)
        children = []
        if children_node is not None and not yamlsrc.is_null(children_node):
            if isinstance(children_node, yaml.SequenceNode):
                children = [c for c in (self.add(child, code, depth + 1) for child in children_node.value) if c]
            else:
                self.error(children_node, '"children" phải là danh sách các đơn vị con')
        self.fields[code]["children"] = children
        return code

    def _text(self, node, owner, key, required=True) -> str | None:
        """Return a single text value, recording a problem when it is missing or not text."""
        if node is None or yamlsrc.is_null(node):
            if required:
                self.error(owner, f'đơn vị thiếu khóa "{key}"')
            return None
        if not yamlsrc.is_scalar(node) or not node.value.strip():
            self.error(node, f'"{key}" phải là một chuỗi chữ')
            return None
        return " ".join(node.value.split())

    def _aliases(self, node) -> list[tuple[str, yaml.Node]]:
        """Return the aliases of a unit with their nodes."""
        if node is None or yamlsrc.is_null(node):
            return []
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        aliases = []
        for item in items:
            if not yamlsrc.is_scalar(item) or not item.value.strip():
                self.error(item, '"aliases" phải là danh sách các tên gọi khác')
            else:
                aliases.append((" ".join(item.value.split()), item))
        return aliases

    def _claim(self, label: str, code: str, node: yaml.Node) -> None:
        """Make a label find this unit, or report that another unit already answers to it."""
        key = lookup_key(label)
        owner = self.keys.get(key)
        if owner and owner != code:
            self.error(node, f'tên "{label}" đã dùng cho đơn vị "{owner}" — mỗi tên hoặc tên gọi khác chỉ thuộc một đơn vị')
        else:
            self.keys[key] = code

    def finish(self, roots: list[str]) -> Registry:
        """Freeze the collected units, siblings sorted in Vietnamese order."""
        by_name = lambda c: sort_key(self.fields[c]["name"])  # noqa: E731
        units = {}
        for code, f in self.fields.items():
            units[code] = Unit(
                code=code, name=f["name"], short_name=f["short_name"],
                aliases=tuple(a for a, _ in f["aliases"]), parent=f["parent"],
                children=tuple(sorted(f["children"], key=by_name)), depth=f["depth"],
            )
        keys = dict(self.keys)
        for key, codes in self.short_names.items():
            if len(codes) == 1 and key not in keys:
                keys[key] = next(iter(codes))
        return Registry(units, tuple(sorted(roots, key=by_name)), self.path, keys)
