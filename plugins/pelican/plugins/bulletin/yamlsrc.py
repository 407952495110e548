"""YAML with line numbers: compose nodes (all scalars stay strings) and explain syntax errors in Vietnamese."""

from __future__ import annotations

import re

import yaml

from .errors import ContentError

try:  # libyaml is much faster when it is there
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    Loader = yaml.SafeLoader

# Problems PyYAML reports (English) -> what an editor should do (Vietnamese).
PROBLEMS = (
    ("characters are not allowed", "có ký tự điều khiển ẩn — hãy xóa ký tự này"),
    ("mapping values are not allowed", "có dấu hai chấm (:) không hợp lệ trong giá trị — hãy đặt cả giá trị trong ngoặc kép"),
    ("tab character", "có ký tự Tab — hãy thụt lề bằng dấu cách"),
    ("could not find expected ':'", "thiếu dấu hai chấm (:) sau tên khóa, hoặc một giá trị nhiều dòng chưa được đặt trong ngoặc kép"),
    ("found unexpected end of stream", "thiếu dấu ngoặc kép đóng"),
    ("found unknown escape character", "có ký tự \\ không hợp lệ trong ngoặc kép — hãy dùng ngoặc đơn ' thay cho ngoặc kép"),
    ("expected <block end>", "thụt lề không đều — các khóa cùng cấp phải thẳng cột"),
    ("did not find expected key", "thụt lề không đều — các khóa cùng cấp phải thẳng cột"),
    ("did not find expected '-' indicator", "danh sách thụt lề không đều — mỗi mục bắt đầu bằng '- ' thẳng cột"),
    ("found undefined alias", "không dùng được dấu * ở đầu giá trị — hãy đặt giá trị trong ngoặc kép"),
    ("expected alphabetic or numeric character", "không dùng được & hoặc * ở đầu giá trị — hãy đặt giá trị trong ngoặc kép"),
    ("found duplicate anchor", "không dùng được & ở đầu giá trị — hãy đặt giá trị trong ngoặc kép"),
    ("cannot start any token", "có ký tự không được đứng đầu giá trị (@, `, %, Tab…) — hãy đặt giá trị trong ngoặc kép"),
)
# `author:"X"`: a key, its colon and the value with no space between (YAML reads the whole line as one text).
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?(?P<key>[^\s:#\"'\[\]{},&*!|>%@`-][^\s:]*):(?!//)(?P<value>\S.*)$")
QUOTE_NAMES = {"'": "ngoặc đơn", '"': "ngoặc kép"}
INNER_QUOTES = "có dấu ngoặc kép bên trong giá trị đặt trong ngoặc kép — hãy dùng ngoặc đơn ' bao ngoài, hoặc “ ” bên trong"


def explain(error: yaml.YAMLError, lines: list[str]) -> tuple[int, str]:
    """Return (0-based line, Vietnamese sentence) for a YAML syntax error in `lines`."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    at = mark.line if mark else 0
    text = lines[at] if 0 <= at < len(lines) else ""
    problem = str(getattr(error, "problem", "") or error)
    if "\t" in text[: len(text) - len(text.lstrip())]:
        return at, "có ký tự Tab ở đầu dòng — hãy thụt lề bằng dấu cách"
    if "end of stream" in problem and getattr(error, "context_mark", None):
        opened = error.context_mark
        quote = lines[opened.line][opened.column:opened.column + 1] if opened.line < len(lines) else '"'
        return opened.line, f"thiếu dấu {QUOTE_NAMES.get(quote, 'ngoặc kép')} đóng cho giá trị bắt đầu ở dòng này"
    if "expected ':'" in problem and getattr(error, "context_mark", None):
        at = error.context_mark.line
    if "expected ':'" in problem or "mapping values are not allowed" in problem:
        for number in (at, at - 1):  # the line YAML stopped on, or the one whose text ran into it
            message = missing_space(lines[number]) if 0 <= number < len(lines) else None
            if message:
                return number, message
    if "expected key" in problem and text.count('"') > 2:
        return at, INNER_QUOTES
    if "expected key" in problem and at > 0 and lines[at - 1].count('"') % 2:
        return at - 1, "thiếu dấu ngoặc kép đóng cho giá trị bắt đầu ở dòng này"
    if "expected ',' or" in problem and getattr(error, "context_mark", None):
        closer = "]" if "']'" in problem else "}"
        return error.context_mark.line, f"thiếu dấu {closer} đóng, hoặc thiếu dấu phẩy giữa các mục, cho ngoặc mở ở dòng này"
    if "expected node content" in problem and "flow" in str(getattr(error, "context", "")):
        opened = max((i for i in range(min(at, len(lines) - 1), -1, -1) if "[" in lines[i] or "{" in lines[i]), default=at)
        return opened, "thiếu giá trị hoặc thiếu dấu ] (hay }) đóng cho ngoặc mở ở dòng này"
    for needle, message in PROBLEMS:
        if needle in problem:
            return at, message
    return at, "lỗi cú pháp YAML — kiểm tra dấu hai chấm, ngoặc kép và thụt lề"


def missing_space(line: str) -> str | None:
    """Explain a `key:value` line written without the space YAML needs after the colon, else None."""
    match = _NO_SPACE.match(line)
    if not match:
        return None
    return f"thiếu dấu cách sau dấu hai chấm — hãy viết {match['key']}: {match['value']}"


def compose(text: str, path: str, first_line: int) -> tuple[yaml.Node | None, list[ContentError]]:
    """Parse YAML text into a node tree; `first_line` is the file line of the text's first line."""
    try:
        return yaml.compose(text, Loader=Loader), []
    except yaml.YAMLError as error:
        at, message = explain(error, text.split("\n"))
        return None, [ContentError(path, first_line + at, message)]


def comment_after(node: yaml.Node, lines: list[str]) -> str:
    """Return the text a `#` cut off after a plain value on its line (title: Hội nghị #2), or ""."""
    if not is_scalar(node) or node.style:  # quoted or block: "#" is text there (plain is None, or "" with libyaml)
        return ""
    end = node.end_mark
    rest = lines[end.line][end.column:] if end.line < len(lines) else ""
    return rest.strip().lstrip("#").strip() if rest.strip().startswith("#") else ""


def line_of(node: yaml.Node, first_line: int) -> int:
    """Return the file line a node starts on."""
    return first_line + node.start_mark.line


def mapping_items(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    """Return the (key, value) node pairs of a mapping."""
    return list(node.value)


def is_scalar(node: yaml.Node) -> bool:
    """Tell whether a node is a single value (not a list or a mapping)."""
    return isinstance(node, yaml.ScalarNode)


def is_null(node: yaml.Node) -> bool:
    """Tell whether a node is empty (`key:` with nothing after it, or `~`/`null`)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"
