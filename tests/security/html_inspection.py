"""Find what could run in a page: inline or foreign scripts, event handlers, script URLs."""

import re
from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
# As browsers parse URLs (WHATWG): C0 controls and spaces trimmed at both ends,
# tabs and newlines removed anywhere, so "java\tscript:" is "javascript:".
_TRIMMED = "".join(chr(n) for n in range(0x21))
_REMOVED = re.compile(r"[\t\n\r]")
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application")


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        self._check(tag, dict(attrs))

    def handle_startendtag(self, tag, attrs):
        self._check(tag, dict(attrs))

    def _check(self, tag, attrs):
        if tag == "script":
            kind = (attrs.get("type") or "").lower()
            src = attrs.get("src") or ""
            if kind in {"application/ld+json", "application/json"} and not src:
                pass  # data, not code: CSP would refuse it as a script anyway
            elif not src.startswith("/static/"):
                self.problems.append(f"script not from /static/: {attrs}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in URL_ATTRIBUTES and value:
                scheme = _REMOVED.sub("", value.strip(_TRIMMED)).lower()
                if scheme.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")


def runnable_content(html):
    """Everything in `html` a browser could execute or that escapes our policy; [] when safe."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems
