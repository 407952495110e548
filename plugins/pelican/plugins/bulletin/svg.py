"""SVG images: parsed by a real XML parser, refused when they could run code, published rebuilt from an allowlist.

An SVG file is a document: opened on its own it runs its scripts with the site's rights, and no page's
Content-Security-Policy applies. Text patterns miss what an XML parser resolves (a namespace prefix on <script>,
an entity that expands to markup, `jav&#x61;script:`, a UTF-16 file), so the file is parsed with expat, which
resolves namespaces and character references exactly as a browser does; a DTD (and so any entity) is refused.
What could run code or reach another host is an error that names its line. What is left is written out again
from an allowlist of elements and attributes: the published file holds nothing the allowlist does not name
(editors' metadata from Inkscape or Illustrator, comments and processing instructions are dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
XHTML = "http://www.w3.org/1999/xhtml"
SEPARATOR = "\x1f"  # between a namespace and a local name in expat's names (never in either)

FILTER_PRIMITIVES = (
    "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting",
    "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting",
    "feSpotLight", "feTile", "feTurbulence",
)
# Elements a published SVG may hold. <a> and <image> are kept with checked addresses; animation only of attributes
# that are not addresses (an animated href would turn a checked link into any other).
ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "symbol", "use", "switch", "a", "image", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "filter", *FILTER_PRIMITIVES,
    "animate", "animateMotion", "animateTransform", "set", "mpath",
})
ANIMATIONS = frozenset({"animate", "animateMotion", "animateTransform", "set"})
# Elements that run code or embed another document: the file is refused, not cleaned, since its author meant them.
ACTIVE = frozenset({"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"})

PRESENTATION = frozenset({
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color", "color-interpolation",
    "color-interpolation-filters", "color-rendering", "cursor", "direction", "display", "dominant-baseline",
    "fill", "fill-opacity", "fill-rule", "filter", "flood-color", "flood-opacity", "font", "font-family",
    "font-size", "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
    "image-rendering", "letter-spacing", "lighting-color", "marker-end", "marker-mid", "marker-start", "mask",
    "opacity", "overflow", "paint-order", "pointer-events", "shape-rendering", "stop-color", "stop-opacity",
    "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
    "stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-rendering", "transform",
    "transform-origin", "unicode-bidi", "vector-effect", "visibility", "word-spacing", "writing-mode",
})
GEOMETRY = frozenset({
    "id", "class", "style", "lang", "tabindex", "role", "focusable", "viewBox", "preserveAspectRatio", "version",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width", "height", "d",
    "points", "pathLength", "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing",
    "side", "offset", "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits", "patternContentUnits",
    "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits", "markerUnits", "markerWidth",
    "markerHeight", "refX", "refY", "orient", "filterUnits", "primitiveUnits", "in", "in2", "result", "mode",
    "operator", "k1", "k2", "k3", "k4", "stdDeviation", "edgeMode", "type", "values", "tableValues", "slope",
    "intercept", "amplitude", "exponent", "baseFrequency", "numOctaves", "seed", "stitchTiles", "scale",
    "xChannelSelector", "yChannelSelector", "radius", "order", "kernelMatrix", "divisor", "bias", "targetX",
    "targetY", "preserveAlpha", "surfaceScale", "diffuseConstant", "specularConstant", "specularExponent",
    "kernelUnitLength", "azimuth", "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle",
    "requiredExtensions", "systemLanguage", "media",
    "attributeName", "attributeType", "begin", "dur", "end", "min", "max", "restart", "repeatCount", "repeatDur",
    "fill", "calcMode", "keyTimes", "keySplines", "keyPoints", "from", "to", "by", "additive", "accumulate", "path",
    "target", "download", "hreflang", "referrerpolicy", "rel",
})
ARIA = re.compile(r"^aria-[a-z]+$")
ATTRIBUTES = PRESENTATION | GEOMETRY
ADDRESSES = frozenset({"href"})  # href and xlink:href; every other attribute that takes a URL takes only url(#id)
LINK_SCHEMES = ("http:", "https:", "mailto:")  # where an <a> may lead; an address without a scheme stays in the site
RASTER = re.compile(r"^[a-z0-9][a-z0-9._/-]*\.(png|jpe?g|gif|webp|avif)$", re.I)  # an <image> of the site's own
_URL_FUNCTION = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_STRIPPED = re.compile(r"[\x00-\x20\x7f]+")  # what browsers ignore inside a URL's scheme
_ESCAPE = re.compile(r"\\")
MAX_BYTES = 5 * 1024 * 1024  # an illustration, not a map: larger files are refused before parsing

MESSAGES = {
    "dtd": "ảnh SVG có khai báo DOCTYPE/ENTITY (có thể chứa mã ẩn)",
    "active": "ảnh SVG chứa mã chạy được hoặc trang nhúng (thẻ <{name}>)",
    "xhtml": "ảnh SVG chứa thẻ HTML <{name}> (có thể chứa mã chạy được)",
    "handler": 'ảnh SVG có thuộc tính sự kiện {name}="…" (mã chạy được)',
    "address": 'ảnh SVG có đường dẫn "{value}" không được phép (chỉ dùng #mã trong ảnh, ảnh của trang hoặc liên kết http/https)',
    "url": 'ảnh SVG dùng url({value}) — chỉ được trỏ tới phần tử trong chính ảnh (url(#mã))',
    "import": "ảnh SVG nạp định dạng từ nơi khác (@import)",
    "animated-address": "ảnh SVG có hiệu ứng thay đổi đường dẫn (<{name} attributeName=\"{value}\">)",
    "not-svg": "tệp .svg không phải ảnh SVG (phần tử gốc là <{name}>)",
    "syntax": "ảnh SVG không đọc được: {value}",
    "size": "ảnh SVG lớn hơn {value} MB",
}
ADVICE = " — hãy xuất lại ảnh từ phần mềm vẽ dưới dạng SVG thường (không kèm mã) hoặc dùng ảnh PNG/JPG"


@dataclass
class Element:
    """An element kept for the rebuilt file: its local name, allowed attributes and children (elements or text)."""

    name: str
    attributes: list[tuple[str, str]] = field(default_factory=list)
    children: list = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """One reason to refuse the file, with the line it is on."""

    line: int
    message: str


class SvgRefused(Exception):
    """The file was refused; problems holds every reason with its line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class _Builder:
    """Build the allowlisted tree from expat's events, noting every problem."""

    def __init__(self, parser):
        self.parser = parser
        self.problems: list[Problem] = []
        self.root: Element | None = None
        self.stack: list[Element | None] = []  # None: inside an element that is dropped with its content
        self.root_name = ""

    def problem(self, kind: str, **fields) -> None:
        self.problems.append(Problem(self.parser.CurrentLineNumber, MESSAGES[kind].format(**fields)))

    def refuse_dtd(self, *args) -> None:
        self.problem("dtd")

    def start(self, qualified: str, attributes: dict[str, str]) -> None:
        namespace, _, name = qualified.rpartition(SEPARATOR)
        if not self.root_name:
            self.root_name = name
            if (namespace, name) != (SVG, "svg"):
                self.problem("not-svg", name=name)
        if name in ACTIVE:
            self.problem("active", name=name)
        elif namespace == XHTML:
            self.problem("xhtml", name=name)
        kept = self._attributes(name, attributes) if namespace == SVG else []
        parent_dropped = bool(self.stack) and self.stack[-1] is None
        if namespace != SVG or name not in ELEMENTS or name in ACTIVE or parent_dropped:
            self.stack.append(None)  # an editor's metadata (another namespace) or an unknown element: left out
            return
        element = Element(name, kept)
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def _attributes(self, element: str, attributes: dict[str, str]) -> list[tuple[str, str]]:
        kept = []
        for qualified, value in attributes.items():
            namespace, _, name = qualified.rpartition(SEPARATOR)
            if name.lower().startswith("on"):
                self.problem("handler", name=name)
                continue
            if name in ADDRESSES and namespace in ("", XLINK):
                if self._address_allowed(element, value):
                    kept.append(("xlink:href" if namespace else "href", value))
                else:
                    self.problem("address", value=shorten(value))
                continue
            if element in ANIMATIONS and name == "attributeName" and value.strip().split(":")[-1].lower() in ("href", "src"):
                self.problem("animated-address", name=element, value=value)
                continue
            if namespace == XML and name in ("space", "lang"):
                kept.append((f"xml:{name}", value))
            elif namespace == "" and (name in ATTRIBUTES or ARIA.match(name)) \
                    and self._styles_allowed(value if name == "style" or "url(" in value.lower() else ""):
                kept.append((name, value))
        return kept

    def _address_allowed(self, element: str, value: str) -> bool:
        address = _STRIPPED.sub("", value)
        if address.startswith("#"):
            return True
        if element == "a":
            return address.lower().startswith(LINK_SCHEMES) or not re.match(r"^[a-z][a-z0-9+.-]*:|^//", address, re.I)
        return element == "image" and bool(RASTER.match(address)) and ".." not in address.split("/")

    def _styles_allowed(self, css: str) -> bool:
        """Tell whether CSS text reaches nothing outside the file (only url(#id)); note a problem otherwise."""
        if not css:
            return True
        plain = _ESCAPE.sub("", css)  # a CSS escape (\75 rl) must not hide a url( or @import
        allowed = True
        if "@import" in plain.lower():
            self.problem("import")
            allowed = False
        for match in _URL_FUNCTION.finditer(plain):
            if not match.group(2).strip().startswith("#"):
                self.problem("url", value=shorten(match.group(2)))
                allowed = False
        if re.search(r"(?<![\w-])(image-set|image|cross-fade|-webkit-image-set)\s*\(|expression\s*\(|behavior\s*:", plain, re.I):
            self.problem("url", value=shorten(plain.strip()))
            allowed = False
        return allowed

    def end(self, qualified: str) -> None:
        element = self.stack.pop()
        if element is not None and element.name == "style":  # checked whole: CDATA sections split its text
            css = "".join(child for child in element.children if isinstance(child, str))
            element.children = [css] if css and self._styles_allowed(css) else []

    def text(self, data: str) -> None:
        if self.stack and self.stack[-1] is not None:
            self.stack[-1].children.append(data)


def shorten(value: str, limit: int = 60) -> str:
    """Cut a value for a message."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def parse(data: bytes) -> Element:
    """Parse an SVG file into its allowlisted tree; raise SvgRefused with every problem found."""
    if len(data) > MAX_BYTES:
        raise SvgRefused([Problem(1, MESSAGES["size"].format(value=MAX_BYTES // (1024 * 1024)))])
    parser = expat.ParserCreate(namespace_separator=SEPARATOR)
    builder = _Builder(parser)
    parser.StartDoctypeDeclHandler = builder.refuse_dtd
    parser.EntityDeclHandler = builder.refuse_dtd
    parser.UnparsedEntityDeclHandler = builder.refuse_dtd
    parser.ExternalEntityRefHandler = lambda *args: 0  # never read another file (expat reports an error)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        if not builder.problems:  # an entity use after a refused DTD fails too: the DTD is the reason to give
            builder.problems.append(Problem(error.lineno, MESSAGES["syntax"].format(value=expat.ErrorString(error.code))))
    if builder.problems or builder.root is None:
        raise SvgRefused(builder.problems or [Problem(1, MESSAGES["syntax"].format(value="tệp trống"))])
    return builder.root


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def serialize(element: Element, root: bool = True) -> str:
    """Write an allowlisted tree as SVG text."""
    attributes = [(name, value) for name, value in element.attributes if not name.startswith("xmlns")]
    if root:
        declarations = [("xmlns", SVG)]
        if any(name == "xlink:href" for name, _ in _all_attributes(element)):
            declarations.append(("xmlns:xlink", XLINK))
        attributes = declarations + attributes
    opening = element.name + "".join(f' {name}="{_escape(value, quote=True)}"' for name, value in attributes)
    if not element.children:
        return f"<{opening}/>"
    inner = "".join(serialize(child, root=False) if isinstance(child, Element) else _escape(child) for child in element.children)
    return f"<{opening}>{inner}</{element.name}>"


def _all_attributes(element: Element):
    yield from element.attributes
    for child in element.children:
        if isinstance(child, Element):
            yield from _all_attributes(child)


def rebuild(data: bytes) -> bytes:
    """Return the SVG file rebuilt from the allowlist, as UTF-8; raise SvgRefused when it could run code."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + serialize(parse(data)) + "\n").encode("utf-8")


def refusal(problem: Problem) -> str:
    """Return the Vietnamese message for one problem, with what to do."""
    return problem.message + ADVICE
