"""Language of the body text: ISO 639-1 code and the detector's probability (py3langid).

Only the first ``MAX_BYTES`` UTF-8 bytes of the first ``MAX_CHARS`` characters are classified:
py3langid's cost is linear in bytes (about 0.35 ms per 600 bytes under load here), and on the dev set
600 bytes agree with 2,000 characters on 371 of 373 pages.  A text with fewer than ``MIN_LETTERS``
letters gets None.  py3langid also knows languages without an ISO 639-1 code (``pcm``, ``ace`` …) and
regional variants (``arz`` Egyptian Arabic): variants map to their macrolanguage, and codes with no
ISO 639-1 form fall through to the best-ranked language that has one.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from py3langid.langid import MODEL_FILE, LanguageIdentifier

MAX_CHARS = 600
MAX_BYTES = 600
MIN_LETTERS = 40

_NON_LETTERS = regex.compile(r"[^\p{L}]+")
# py3langid codes that are not ISO 639-1 but have a macrolanguage that is.
_TO_ISO1 = {"ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "gug": "gn", "kik": "ki"}


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """The model, loaded once on first use (about 0.7 s), with probabilities normalised."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _iso1(code: str) -> str | None:
    code = _TO_ISO1.get(code, code)
    return code if len(code) == 2 else None


def detect_language(text: str) -> tuple[str | None, float]:
    """``(iso639_1, probability)`` of ``text``; ``(None, 0.0)`` for very short or letterless text."""
    sample = text[:MAX_CHARS]
    if len(_NON_LETTERS.sub("", sample)) < MIN_LETTERS:
        return None, 0.0
    ident = _identifier()
    sample = sample.encode("utf-8")[:MAX_BYTES].decode("utf-8", "ignore")
    code, prob = ident.classify(sample)
    iso = _iso1(code)
    if iso is not None:
        return iso, round(float(prob), 3)
    for other, other_prob in ident.rank(sample):
        iso = _iso1(other)
        if iso is not None:
            return iso, round(float(other_prob), 3)
    return None, 0.0
