"""The API's JSON bodies, bounded in size and in nesting: a hostile body is a 400 with a reason,
never a 500 (100.000 nested brackets overflowed the parser's recursion) nor a process reading
megabytes. The largest body we take is one visit: a flat object holding one short list and one
small object (docs/api.md)."""

import json

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_BYTES = 64 * 1024  # a visit with the longest note is under 8 KB
MAX_DEPTH = 4  # a visit is 2 deep: {"failed": {"reason": 3}}


def json_depth(value) -> int:
    """How deeply lists and objects nest in `value` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend(
                (child, depth) for child in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(MAX_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BYTES:
            raise ParseError(
                _("Isi permintaan terlalu besar: paling banyak %(kb)s KB.")
                % {"kb": MAX_BYTES // 1024}
            )
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        too_deep = _("JSON bersarang terlalu dalam: paling banyak %(n)s tingkat.") % {
            "n": MAX_DEPTH
        }
        try:
            data = json.loads(raw.decode(encoding))
        except RecursionError:
            raise ParseError(too_deep) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("JSON tidak valid: %(error)s") % {"error": error}) from None
        if json_depth(data) > MAX_DEPTH:
            raise ParseError(too_deep)
        return data
