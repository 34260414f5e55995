"""Take every outside address out of the built plotly.js bundle, so nothing in it can reach the
internet: the topojson maps' CDN and the "edit in Chart Studio" server (defaults of options we
never use), the logo's link, the documentation links in option descriptions, and host names
written without a scheme ("fetched from cdn.plot.ly"). XML namespace names (www.w3.org/2000/svg,
…) are identifiers, not addresses, and the licence comments keep their authors' addresses as
written.

Usage: python offline.py BUNDLE   (rewrites it in place; `make plotly` runs it)
"""

import re
import sys
from pathlib import Path

NAMESPACES = (
    r"http://www\.w3\.org/(?:2000/svg|2000/xmlns/|1999/xlink|1999/xhtml|XML/1998/namespace)"
)
OUTSIDE = re.compile(rf"(?!{NAMESPACES})https?://[^\s\"'`)#]+(?:#[^\s\"'`)]*)?")
# A host name without a scheme, as prose names one: not a property access like `e.com`, which
# has no dot before its first part in minified code either, hence the list of known hosts.
BARE_HOSTS = re.compile(r"(?<![\w./])(?:cdn\.plot\.ly|(?:[\w-]+\.)*plotly\.com)\b")
LICENCES = "/*! Bundled license information"


def offline(text: str) -> str:
    code, licences = text, ""
    if LICENCES in text:
        at = text.index(LICENCES)
        code, licences = text[:at], text[at:]
    return BARE_HOSTS.sub("", OUTSIDE.sub("", code)) + licences


if __name__ == "__main__":
    bundle = Path(sys.argv[1])
    bundle.write_text(offline(bundle.read_text(encoding="utf-8")), encoding="utf-8")
