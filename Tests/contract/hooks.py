"""schemathesis hooks of Tests/contract/run.sh.

Pace counts the length of titles, names, bodies and queries in characters as users see them
(grapheme clusters), while JSON Schema's `maxLength` counts code points, and one character may
hold many (a letter with combining accents, an emoji with a skin tone). The spec's `maxLength`
is therefore a bound clients can rely on, and the server also accepts longer text whose
characters still fit, such as "Zalgo" text. This hook drops exactly the failures that gap
explains: a schema-violating request accepted where the violation is a `maxLength` and the
request carries text with multi-code-point characters. Every other failure fails the run."""
import unicodedata

import schemathesis
from schemathesis.core.failures import AcceptedNegativeData


def _extends_previous_character(char):
    return (unicodedata.category(char) in ("Mn", "Me") or char == "\u200d"
            or 0x1F3FB <= ord(char) <= 0x1F3FF or 0xFE00 <= ord(char) <= 0xFE0F)


def _has_multi_code_point_characters(text):
    return "\r\n" in text or any(_extends_previous_character(char) for char in text[1:])


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if not isinstance(failure, AcceptedNegativeData) or "maxLength" not in f"{failure.title} {failure.message}":
        return True
    texts = [*_strings(case.body), *_strings(case.query or {})]
    return not any(_has_multi_code_point_characters(text) for text in texts)
