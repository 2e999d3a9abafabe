"""Language of the body text: ISO 639-1 code, a confidence, and the rule that decided.

py3langid is the authority but costs about 1 µs per byte (a pure-Python walk over the UTF-8 bytes),
so two cheap rules answer first and py3langid only sees the texts they are unsure about:

* ``script``: a script that one language owns (Hangul → ko, kana → ja, Greek → el, Armenian → hy,
  Georgian → ka, Thai → th, Gujarati → gu; Han without any kana → zh) writing most of the letters;
* ``function_words`` (never for text with Chinese, Japanese, Thai … characters): the share of words
  that are frequent function words of one language (lists below, kept apart from each other's words
  where possible) — accepted when it is high and at least ``FW_MARGIN`` times the share of every
  other list.  Lists of close relatives that py3langid must separate (Catalan, Galician, Ukrainian,
  Bulgarian, Belarusian, Serbian/Macedonian, Afrikaans, Malay/Indonesian, Tagalog) never win: they
  only keep the shortcut from firing, and their texts go to py3langid.

On the dev set the shortcuts decide 314 of 373 pages and agree with py3langid on every one of
them.  py3langid sees the first ``MAX_BYTES`` UTF-8 bytes (on the dev set 250 bytes already agree
with 600 on all 373 pages).  A text with fewer than ``MIN_LETTERS`` letters gets None.
py3langid also knows languages without an ISO 639-1 code (``pcm``, ``ace`` …) and regional variants (``arz`` Egyptian
Arabic): variants map to their macrolanguage, and codes with no ISO 639-1 form fall through to the
best-ranked language that has one.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import regex
from py3langid.langid import MODEL_FILE, LanguageIdentifier

MAX_CHARS = 600
MAX_BYTES = 300
MIN_LETTERS = 40
FW_MIN_WORDS = 20  # function-word rule: at least this many words in the sample
FW_MIN_SHARE = 0.10  # … of which this share are the language's function words
FW_MARGIN = 3.0  # … and at least this many times the share of any other list
FW_MAX_WORD_LENGTH = 9  # … and words this long on average at most (not Chinese, Japanese, Thai)
SCRIPT_SHARE = 0.5  # script rule: the script writes at least this share of the letters
RULE_SCRIPT, RULE_WORDS, RULE_MODEL = "script", "function_words", "py3langid"

_WORDS = regex.compile(r"\p{L}+")
# Scripts written without spaces between words: their text never takes the function-word rule.
_SPACELESS = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
# py3langid codes that are not ISO 639-1 but have a macrolanguage that is.
_TO_ISO1 = {"ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "gug": "gn", "kik": "ki"}

# Scripts written by one language (in news); kana and Han (Japanese / Chinese) are told apart below.
_OWN_SCRIPTS = regex.compile(
    r"(?P<ja>[\p{Hiragana}\p{Katakana}])|(?P<zh>\p{Han})|(?P<ko>\p{Hangul})|(?P<el>\p{Greek})"
    r"|(?P<hy>\p{Armenian})|(?P<ka>\p{Georgian})|(?P<th>\p{Thai})|(?P<gu>\p{Gujarati})"
)

# Frequent function words; a word may sit in two lists (it then counts for both).  Words shared by
# many languages ("de", "a", "la", "in", "e") are left out so that unlisted languages score low.
_FUNCTION_WORDS = {
    "en": "the of and to was that for with from his her said has have had were are been will would this "
    "which who their they but not its",
    "es": "el los las y del fue según también muy dijo hasta cuando donde más sus pero una lo al con su han",
    "pt": "os as do da dos das não em uma com ao à foi são também mais mas pelo pela seu sua disse",
    "fr": "le les des du et est une dans pour qui sur au avec pas ce cette sont été il elle ont mais aussi "
    "aux leur",
    "de": "der die das und ist nicht mit sich des dem den auch auf für von zu eine einer ein wurde werden "
    "hat sind im",
    "it": "il di che è della per non sono gli nel alla anche più dei delle degli questo nella sul dalla",
    "nl": "het een van is op te dat die niet met zijn voor ook er aan bij werd heeft naar om maar",
    "ru": "и в не на что с по это как он из к о от для его но она был была были также уже который которые",
    # blockers: close relatives of the languages above, left to py3langid
    "ca": "els amb és però seva aquest aquesta dels als va hi",
    "gl": "non unha coa polo pola tamén máis cando xa dixo moi segundo",
    "uk": "і та що це від як але також який вже його її їх було була",
    "bg": "да се че са като това който които която е ще във със също според беше бяха",
    "be": "ў што гэта таксама быў і",
    "sr": "је да се што од во ќе са ће",
    "af": "nie vir wat hy sy word gesê jy ons",
    "ms": "yang dan ini itu dengan untuk dari dalam tidak akan pada juga karena kerana oleh sudah telah "
    "bahwa bahawa adalah mereka tersebut",
    "tl": "ang ng mga sa na ay si ni kay hindi ito niya",
}
_ACCEPTED = frozenset({"en", "es", "pt", "fr", "de", "it", "nl", "ru"})
# Letters a language's text must hold / must not hold for the shortcut: Russian writes ы in almost
# every sentence, which Bulgarian, Ukrainian, Serbian and Macedonian never do (і ї є ў ј ќ ѓ are theirs).
_NEEDS_LETTER = {"ru": "ы"}
_NO_LETTERS = {"ru": "іїєўјќѓ"}
_LANG_CODES = tuple(_FUNCTION_WORDS)
_WORD_LANGS: dict[str, tuple[int, ...]] = {}
for _i, _code in enumerate(_LANG_CODES):
    for _w in _FUNCTION_WORDS[_code].split():
        _WORD_LANGS[_w] = (*_WORD_LANGS.get(_w, ()), _i)


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """The model, loaded once on first use (about 0.7 s), with probabilities normalised."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _iso1(code: str) -> str | None:
    code = _TO_ISO1.get(code, code)
    return code if len(code) == 2 else None


def _by_script(sample: str, letters: int) -> str | None:
    """The language that owns the script writing most of the letters, else None."""
    found = [m.lastgroup for m in _OWN_SCRIPTS.finditer(sample)]
    if len(found) < SCRIPT_SHARE * letters:
        return None
    counts = Counter(found)
    kana, han = counts["ja"], counts["zh"]
    if kana + han >= SCRIPT_SHARE * letters:
        if kana * 10 >= kana + han:
            return "ja"
        return "zh" if kana == 0 else None
    code, n = counts.most_common(1)[0]
    return code if n >= SCRIPT_SHARE * letters else None


def _by_function_words(sample: str, words: list[str], letters: int) -> str | None:
    """The language whose function words clearly dominate the sample (``words``: its lower-cased
    words), else None.  Scripts written without spaces (long letter runs) are left to the others."""
    if len(words) < FW_MIN_WORDS or letters > FW_MAX_WORD_LENGTH * len(words):
        return None
    if not sample.isascii() and _SPACELESS.search(sample):
        return None
    hits = [0] * len(_LANG_CODES)
    for langs, k in Counter(map(_WORD_LANGS.get, words)).items():  # one C-level pass over the words
        if langs is not None:
            for i in langs:
                hits[i] += k
    best = max(range(len(hits)), key=hits.__getitem__)
    top = hits[best]
    if top < FW_MIN_SHARE * len(words) or _LANG_CODES[best] not in _ACCEPTED:
        return None
    second = max(h for i, h in enumerate(hits) if i != best)
    if top < FW_MARGIN * second:
        return None
    code = _LANG_CODES[best]
    if code in _NEEDS_LETTER and _NEEDS_LETTER[code] not in sample:
        return None
    if code in _NO_LETTERS and any(ch in sample for ch in _NO_LETTERS[code]):
        return None
    return code


def classify_language(text: str) -> tuple[str | None, float, str]:
    """``(iso639_1, confidence, rule)`` of ``text``'s first ``MAX_CHARS`` characters.

    ``(None, 0.0, "")`` for very short or letterless text.  ``rule`` is ``script``, ``function_words``
    or ``py3langid`` (whose probability is the confidence)."""
    sample = text[:MAX_CHARS]
    words = _WORDS.findall(sample.lower())
    letters = sum(map(len, words))
    if letters < MIN_LETTERS:
        return None, 0.0, ""
    code = _by_function_words(sample, words, letters)
    if code is not None:
        return code, 0.95, RULE_WORDS
    if not sample.isascii():
        code = _by_script(sample, letters)
        if code is not None:
            return code, 0.95, RULE_SCRIPT
    ident = _identifier()
    sample = sample.encode("utf-8")[:MAX_BYTES].decode("utf-8", "ignore")
    code, prob = ident.classify(sample)
    iso = _iso1(code)
    if iso is not None:
        return iso, round(float(prob), 3), RULE_MODEL
    for other, other_prob in ident.rank(sample):
        iso = _iso1(other)
        if iso is not None:
            return iso, round(float(other_prob), 3), RULE_MODEL
    return None, 0.0, ""


def detect_language(text: str) -> tuple[str | None, float]:
    """``(iso639_1, confidence)`` of ``text``; ``(None, 0.0)`` for very short or letterless text."""
    code, conf, _ = classify_language(text)
    return code, conf
