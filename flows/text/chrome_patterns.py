"""Line patterns for page chrome and for the non-body parts of an article (captions, credits …).

Speed matters (every line of every page is checked), so the line-start families are written as
phrases whose first word is literal: a line's first word selects, through a dict, the one
compiled regex of the phrases that can start with it, and most lines cost a dict miss.
Patterns that may match anywhere in a line (captions, copyright notices, newsletter prompts)
are gated by cheap substring checks and only run where the segmenter asks (`match_anywhere`).

`match_start` / `match_anywhere` return ``(label, rule)`` or None.  Phrases are multilingual
where the phrase is common in news pages.
"""

from __future__ import annotations

import re

from flows.text.lines import LEAD_PUNCT

# A phrase is a regex fragment in lower case; " " stands for any run of spaces; its first word
# (up to the first character that is not a letter, digit, apostrophe or hyphen) must be literal.
_HEADING_END = r"\s*[:：»>›.…!|-]*\s*$"

_IN_SECTION = "(?: (?:in|on|from|at) [\\w'’&.-]+(?: [\\w'’&.-]+){0,3})?"  # "Most read in world news"
_RELATED_HEADINGS = (
    # en
    "related", "related (?:news|stories|articles?|posts?|content|coverage|links?|topics?|reading|videos?|items?|searches)",
    "similar (?:news|stories|articles?|posts?)", "read (?:more|next|also)(?: [\\w'’&-]+){0,4}", "see (?:more|also|next)(?: [\\w'’&-]+){0,3}",
    "watch (?:more|next)(?: [\\w'’&-]+){0,3}", "more (?:from|on|in|about|news|stories|articles|videos|like this|to read|to explore|headlines|top stories|for you)(?: [\\w'’&.-]+){0,4}",
    "more(?: [\\w'’&-]+){1,2} (?:news|stories|articles|videos|headlines|coverage)",
    "next (?:in|up|story|article)(?: [\\w'’&-]+){0,3}", "others? also read", "people also (?:read|viewed|watched)",
    "also read", "in other news", "you (?:may|might) (?:also )?(?:like|enjoy|be interested(?: in)?)",
    "we recommend", "recommended(?: (?:for you|stories|reading|articles|videos))?", "editor'?s'? picks?",
    "editors'? picks?", "don[’']t miss(?: this)?", "do not miss",
    "most (?:popular|read|viewed|shared|commented|watched|recent)(?: (?:stories|articles|news|today|now|this week|videos))?" + _IN_SECTION,
    "top (?:stories|news|headlines|videos|picks)(?: (?:today|now))?" + _IN_SECTION,
    "popular(?: (?:now|today|news|stories|articles|posts|videos))?" + _IN_SECTION,
    "trending(?: (?:now|today|news|stories|articles|videos|topics))?" + _IN_SECTION,
    "latest(?: (?:news|stories|articles|posts|videos|headlines|updates))?" + _IN_SECTION,
    "recent(?: (?:news|stories|articles|posts))?" + _IN_SECTION,
    "what to read next", "further reading", "around the web", "from the web", "elsewhere on [\\w.]+",
    "sponsored(?: (?:content|stories|links))", "promoted (?:content|stories|links)", "partner (?:content|stories)",
    # pt / es / ca
    "leia (?:tamb[ée]m|mais)", "veja (?:tamb[ée]m|mais)", "lea tambi[ée]n", "lee tambi[ée]n", "vea tambi[ée]n", "saiba mais",
    "not[íi]cias relacionadas", "noticias relacionadas", "posts relacionados", "mat[ée]rias relacionadas", "artigos relacionados",
    "art[íi]culos relacionados", "relacionad[oa]s", "mais (?:lidas|lidos|not[íi]cias)", "m[aá]s (?:le[íi]d[oa]s|noticias)",
    "lo m[aá]s le[íi]do", "tambi[ée]n te puede interesar", "te puede interesar", "te recomendamos", "voc[êe] (?:tamb[ée]m )?pode gostar",
    # fr / it / de / nl
    "lire aussi", "lire [ée]galement", "[àa] lire (?:aussi|[ée]galement)", "voir aussi", "sur le m[êe]me sujet", "articles similaires",
    "les plus lus", "leggi anche", "potrebbe interessarti", "ti potrebbe interessare", "articoli correlati", "i pi[uù] letti",
    "mehr zum thema", "auch interessant", "das k[öo]nnte sie (?:auch )?interessieren", "weitere artikel", "lesen sie auch",
    "meistgelesen", "[äa]hnliche artikel", "lees ook", "meer nieuws", "gerelateerd(?:e artikelen)?",
    # nordic / pl / cs / hu / ro / tr / id / vi
    "lue my[öo]s", "l[äa]s (?:ocks[åa]|mer)", "l[æa]s (?:ogs[åa]|mere)", "les ogs[åa]",
    "zobacz (?:te[żz]|tak[żz]e|r[óo]wnie[żz])", "czytaj (?:te[żz]|tak[żz]e|r[óo]wnie[żz])", "polecamy", "podobne artyku[łl]y",
    "najcz[ęe][śs]ciej czytane", "souvisej[íi]c[íi] [čc]l[áa]nky", "[čc]t[ěe]te tak[ée]", "kapcsol[óo]d[óo] cikkek",
    "cite[șs]te [șs]i", "articole similare", "ilgili haberler", "benzer haberler", "baca juga", "berita terkait",
    "tin li[êe]n quan", "tin kh[áa]c", "b[àa]i vi[ếe]t li[êe]n quan", "[đd][ọo]c th[êe]m", "xem th[êe]m",
    # ru / uk / el / ar
    "читайте (?:также|також)", "похожие (?:статьи|новости|записи|материалы)", "другие (?:статьи|новости|материалы)",
    "новости по теме", "по теме", "смотрите также", "самое (?:читаемое|популярное)", "популярное", "рекомендуем", "схожі новини",
    "διαβάστε (?:επίσης|ακόμα)", "اقرأ أيضا", "مقالات ذات صلة",
    # cjk (no spaces: the whole heading is the first word)
    "関連記事", "関連ニュース", "おすすめ", "おすすめ記事", "人気記事", "相关新闻", "相關新聞", "相关文章", "相关阅读",
    "推荐阅读", "延伸阅读", "延伸閱讀", "热门新闻", "热门文章", "관련기사", "관련 기사", "많이 본 뉴스", "인기기사",
)
# "Read more: <headline>" — one item of a related list inline.
_RELATED_ITEM_PREFIXES = (
    "related", "read more", "read also", "read next", "see also", "also read", "more", "watch", "listen", "leia tamb[ée]m",
    "leia mais", "veja tamb[ée]m", "lea tambi[ée]n", "lee tambi[ée]n", "lire aussi", "[àa] lire", "leggi anche",
    "lesen sie auch", "mehr dazu", "читайте также", "baca juga", "xem th[êe]m", "関連記事",
)
_COMMENTS = (
    "comments?", "(?:top rated|top|best|latest|newest|oldest|all|reader|readers'?|user|your) comments?", "discuss this (?:article|story)", "reactions?", "responses?", "replies", "discussion", "coment[áa]rios?", "comentar", "commentaires?",
    "kommentare?", "commenti", "komentarze", "комментарии", "коментарі", "댓글", "コメント", "评论", "評論",
)
_COMMENT_PROMPTS = (
    "(?:leave|post|add|write|submit) (?:a |your )?(?:comment|reply|response|review)", "(?:join|start) the (?:[\\w'’-]+ )?(?:conversation|discussion|community)",
    "read and post comments", "(?:responses|comments|replies|thoughts) (?:to|on) ", "be the first to comment", "(?:show|view|load|hide) (?:all )?comments", "cancel reply",
    "(?:deixe|deja) (?:um|su|tu|un) coment[áa]rio", "laisser un commentaire", "you must be logged in",
)
_AD_LINES = (
    "advertisements?", "advertising", "ad", "ads", "sponsored", "publicidade", "publicidad", "anzeige", "werbung",
    "pubblicit[àa]", "publicit[ée]", "реклама", "광고", "広告", "广告",
)
_AD_PREFIXES = ("(?:story )?continues? (?:below|after) (?:the )?(?:advertisement|ad)", "(?:continue|scroll) (?:reading|to continue)")
_TAG_PREFIXES = (
    "tags?", "topics?", "keywords?", "filed under", "categor(?:y|ies)", "themen", "schlagw[öo]rter",
    "temas", "t[óo]picos", "etiquetas", "sujets", "mots-cl[ée]s", "argomenti", "теги", "метки", "темы", "tagi", "标签", "標籤", "タグ", "태그",
)
_CREDIT_PREFIXES = (
    "(?:additional )?reporting by", "(?:writing|editing|edited|compiled|written|translated|reported|research|graphics|produced) by",
    "with (?:[\\w'’-]+ ){0,2}wires?", "(?:source|sources|fonte|fuente|quelle|источник|出典|来源|來源)\\s*[:：]\\s*\\S",
)
_AGENCIES = (
    "reuters", "afp", "ap", "associated press", "the associated press", "agence france-presse", "bloomberg", "dpa", "efe", "ansa",
    "xinhua", "tass", "yonhap", "kyodo", "pti", "ians", "ani", "upi", "agencies", "agency", "wires?", "bernama", "antara",
    "lusa", "ag[êe]ncia brasil", "europa press", "sputnik", "interfax", "ria novosti", "staff", "agency staff",
)
_AGENCY_END = r"\s*[)\]]?\s*[.,]?\s*(?:contributed(?: to this (?:report|story))?\.?)?$"
_BYLINE_WORDS = ("by", "von", "par", "por", "di", "door", "av", "af", "przez", "oleh", "posted by", "written by", "автор")
_BYLINE_LABELS = (
    "autor", "autora", "author", "authors", "auteur", "writer", "reporter", "text", "texto", "tekst", "redação", "redacao",
    "redacción", "redaccion", "escrito por", "publicado por",
)
_NAVIGATION_LINES = (
    "skip to (?:main )?(?:content|navigation|section)", "home", "menu", "search", "sign in", "log in", "login", "log out",
    "register", "top", "back to top", "main menu", "close", "open", "toggle navigation", "next", "previous", "prev", "more",
    "less", "view all", "see all", "show more", "load more", "enlarge image", "in[íi]cio", "inicio", "accueil", "startseite",
    "главная", "首页", "ホーム", "홈", "trang ch[ủu]", "print", "email", "e-mail", "share", "tweet", "facebook", "twitter",
    "linkedin", "pinterest", "reddit", "instagram", "youtube", "flipboard", "whatsapp", "telegram", "copy link", "copy",
)
_NEWSLETTER_PREFIXES = (
    "follow us", "click (?:here )?to (?:share|email|print|subscribe)", "follow [\\w@.'’\\s-]{1,40} on", "sign up", "subscribe", "join us on", "like us on", "get the app",
    "download (?:the|our) app", "share (?:this|on|via|the article|article|story)", "click here to subscribe",
    "receive (?:breaking )?news", "enter your email", "privacy: we never", "like this:", "assine", "inscreva-se",
    "suscr[íi]bete", "abonnez-vous", "abonnieren", "iscriviti", "подпишитесь", "compartilhe", "compartir", "partager",
)
_CAPTION_PREFIXES = (
    "file photo\\s*[:：|]", "(?:file|photo|photos|picture|pictures|pic|image|images|foto|fotos|fotografia|imagem|imagen|bild|caption|pictured)"
    "\\s*[:：|]", "(?:photo|picture|image|foto|bild) (?:credit|by)\\b", "фото\\s*[:：|]", "写真", "사진", "图为",
)
_COPYRIGHT_PREFIXES = ("copyright", "all rights reserved", "privacy policy", "terms (?:of (?:use|service)|and conditions)", "cookie (?:policy|settings)")

_MONTH_WORDS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october nov november "
    "dec december janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre janeiro fevereiro março "
    "marco maio junho julho setembro outubro novembro dezembro januar februar märz marz juni juli oktober dezember gennaio "
    "febbraio aprile maggio giugno luglio settembre ottobre dicembre"
).split()
_WEEKDAY_WORDS = (
    "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday lundi mardi mercredi "
    "jeudi vendredi samedi dimanche lunes martes miércoles miercoles jueves viernes sábado sabado domingo segunda terça terca "
    "quarta quinta sexta segunda-feira terça-feira quarta-feira quinta-feira sexta-feira montag dienstag mittwoch donnerstag "
    "freitag samstag sonntag published updated posted last date publicado atualizado actualizado publié publie mis "
    "veröffentlicht aktualisiert pubblicato опубликовано обновлено ngày cập update"
).split()
_DATE_TOKEN = (
    r"(?:" + "|".join(sorted((re.escape(w) for w in _MONTH_WORDS + _WEEKDAY_WORDS), key=len, reverse=True)) + r")\b\.?"
    r"|\d{1,4}(?:[./-]\d{1,2}[./-]\d{1,4}|[年月日]|(?:st|nd|rd|th|er|º|\.)?\b)"
    r"|\d{1,2}[:h.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|[ap]\.?m\.?\b|\b(?:uhr|hs|hrs|horas|h)\b"
    r"|\b(?:utc|gmt|[ecmp][sd]t|bst|cet|cest|ist|jst|kst|msk|brt|ict|z)\b(?:\s*[+-]\d{1,2}(?::?\d{2})?)?"
    r"|\b(?:on|at|de|del|le|am|um|el|em|à|às|a las|mis à jour|last updated|updated on|published on|gi[ờo]|l[úu]c|th[ứu])\b:?"
    r"|[\s,|/–—•·:()\-]"  # one separator character: the outer "+" repeats it (no backtracking blow-up)
)
# A line made only of date/time tokens: "Tuesday, 12 Nov 2024", "10 November 2024 - 14:13".
_DATE_LINE_RE = re.compile(r"(?:" + _DATE_TOKEN + r")+$")
# Every run of letters a date line can hold: a line with another word is no date line (a cheap
# test before the long alternation of _DATE_LINE_RE).
_DATE_LETTERS = frozenset(
    [p for w in _MONTH_WORDS + _WEEKDAY_WORDS for p in w.split("-")]
    + "st nd rd th er º a p m am pm uhr hs hrs horas h utc gmt est edt cst cdt mst mdt pst pdt bst cet cest ist jst kst msk brt "
    "ict z on at de del le um el em à às las mis jour last updated published giờ gio lúc luc thứ thu 年 月 日".split()
)
_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _is_date_line(s: str) -> bool:
    """`s` is made only of date/time tokens (see _DATE_LINE_RE)."""
    return _DATE_LETTERS.issuperset(_LETTERS_RE.findall(s)) and _DATE_LINE_RE.match(s) is not None
_NUMBER_ONLY_RE = re.compile(r"[\d\s.,+%km]+$")
_COMMENTER_ENDS = (" says:", " said:", " wrote:", " writes:", " disse:", " dice:", " dit :", " schreibt:")
_HAS_DIGIT_RE = re.compile(r"\d")
_COUNT_COMMENT_WORDS = frozenset(
    "comments comment responses replies thoughts reactions comentários comentarios commentaires kommentare commenti комментарии".split()
)
_RELATIVE_TIME_RE = re.compile(
    r"(?:(?:about |over )?(?:\d+|an?|one) (?:sec(?:ond)?|min(?:ute)?|hour|hr|day|week|month|year)s? ago(?: at [\d:]+\s*(?:[ap]m)?)?"
    r"|\d+ \w+ назад|\d+\s*(?:分|時間|日|小时|天)前)\s*$"
)
# "2 hours ago" written with a word first; "há 3 horas", "vor 2 Tagen", "yesterday": whole short lines.
_RELATIVE_PHRASES = (
    "(?:about|over) (?:\\d+|an?|one) (?:sec(?:ond)?|min(?:ute)?|hour|hr|day|week|month|year)s? ago",
    "(?:an?|one) (?:sec(?:ond)?|min(?:ute)?|hour|hr|day|week|month|year) ago",
    "(?:h[áa]|hace|il y a|vor) \\d+ \\w+",
    "(?:yesterday|today|hoje|ontem|hoy|ayer|aujourd'hui|hier|heute|gestern|сегодня|вчера)",
)
_NAME_PIPE_RE = re.compile(r"[\w.'’-]+(?:\s+[\w.'’-]+){0,4}\s*\|$")  # "Anh Vũ |"
_FIRST_WORD_RE = re.compile(r"[\w'’-]+")


def _family_rows() -> list[tuple[str, str, str]]:
    """(label, rule, regex) for every phrase, in priority order."""
    rows: list[tuple[str, str, str]] = []

    def add(label: str, rule: str, phrases: tuple[str, ...] | list[str], end: str) -> None:
        for p in phrases:
            rows.append((label, rule, p.replace(" ", r"\s+") + end))

    add("related", "related_heading", _RELATED_HEADINGS, _HEADING_END)
    add("comments", "comments_pattern", _COMMENTS, r"\s*(?:\(\d+\))?\s*:?$")
    add("comments", "comments_pattern", _COMMENT_PROMPTS, "")
    add("ad", "ad_pattern", _AD_LINES, r"\s*[:：\-–—]*\s*$")  # "— Advertisement —"
    add("ad", "ad_pattern", _AD_PREFIXES, "")
    add("tags", "tags_prefix", _TAG_PREFIXES, r"\s*[:：]")
    add("tags", "tags_prefix", ("filed under", "tagged(?: (?:with|as|in))?", "more about"), r"\s*[:：]?\s*\S")
    add("credit", "credit_pattern", _CREDIT_PREFIXES, "")
    add("credit", "agency_credit", _AGENCIES, _AGENCY_END)
    add("byline", "byline_pattern", _BYLINE_WORDS, r"\s*[:：]?\s+\S")
    add("byline", "byline_pattern", _BYLINE_LABELS, r"\s*[:：]\s*\S")
    add("copyright", "copyright_pattern", _COPYRIGHT_PREFIXES, "")
    add("caption", "caption_prefix", _CAPTION_PREFIXES, "")
    add("newsletter", "newsletter_pattern", _NEWSLETTER_PREFIXES, "")
    add("navigation", "navigation_pattern", _NAVIGATION_LINES, r"\s*[:»›]?$")
    add("related", "related_item_prefix", _RELATED_ITEM_PREFIXES, r"\s*[:：|»>-]\s*\S")
    add("metadata", "relative_time", _RELATIVE_PHRASES, r"\s*$")
    return rows


_START_INDEX: dict[str, tuple[re.Pattern[str], list[tuple[str, str]]]] = {}
_WORD_CHARS = "'’-"


def _first_words(regex: str) -> list[str]:
    """The literal first word(s) a phrase regex can start with: classes, "x?" and a leading "(?:a|b)" are expanded."""
    if regex.startswith("(?:"):
        depth, j = 0, 0
        for j, ch in enumerate(regex):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                break
        inner, rest = regex[3:j], regex[j + 1 :]
        out = []
        if rest.startswith("?"):
            rest = rest[1:]
            out += _first_words(rest.lstrip(" "))
        for alt in inner.split("|"):
            out += _first_words(alt + rest)
        return out
    prefixes = [""]
    i = 0
    while i < len(regex):
        c = regex[i]
        if c == "[":
            j = regex.index("]", i)
            prefixes = [p + a for p in prefixes for a in regex[i + 1 : j]]
            i = j + 1
        elif c == "?":
            prefixes = prefixes + [p[:-1] for p in prefixes]
            i += 1
        elif c.isalnum() or c == "_" or c in _WORD_CHARS:
            prefixes = [p + c for p in prefixes]
            i += 1
        else:
            break
    words = sorted({p for p in prefixes if p})
    if not words:
        raise ValueError(f"phrase must start with a literal word: {regex!r}")
    return words


def _build_index() -> None:
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for label, rule, regex in _family_rows():
        for trig in _first_words(regex):
            grouped.setdefault(trig, []).append((label, rule, regex))
    date = f"(?P<g_d>{_DATE_LINE_RE.pattern})"
    for w in _MONTH_WORDS + _WEEKDAY_WORDS:
        grouped.setdefault(w, [])
    for trig, rows in grouped.items():
        parts = [f"(?P<g{k}>{regex})" for k, (_, _, regex) in enumerate(rows)]
        if trig in _MONTH_WORDS or trig in _WEEKDAY_WORDS:
            parts.insert(0, date)
        _START_INDEX[trig] = (re.compile("|".join(parts)), [(label, rule) for label, rule, _ in rows])


_build_index()


# Line keys (first words) that can start a family phrase or a date line: the segmenter calls
# `match_start` only for lines whose key is here or starts with a digit (or that may be a
# commenter line or a "©" notice, see `may_match_start`).  Phrases of most keys must be the
# whole line: their lines are short.
START_KEYS: frozenset[str] = frozenset(_START_INDEX)
PREFIX_KEYS: frozenset[str] = frozenset(
    trig for label, rule, regex in _family_rows() if not regex.endswith("$") for trig in _first_words(regex)
)
WHOLE_LINE_MAX = 100  # longest line a whole-line phrase (heading, menu item, date line) is tried on


def may_match_start(low: str, key: str) -> bool:
    """Cheap test: can `match_start` find anything on this line?"""
    if key:
        if key in START_KEYS:
            return len(low) <= WHOLE_LINE_MAX or key in PREFIX_KEYS
        if key[0].isdigit():
            return True
    elif "©" in low[:4]:
        return True
    return low[-1:] == ":" and len(low) <= 90


def first_key(low: str) -> str:
    """The first word of a lower-cased line after leading punctuation ("" when there is none)."""
    m = _FIRST_WORD_RE.match(low.lstrip(LEAD_PUNCT))
    return m.group() if m is not None else ""


def match_start(low: str, key: str | None = None) -> tuple[str, str] | None:
    """Family of a lower-cased, stripped line decided by how it starts (or what it is as a whole).

    `key` is the line's first word (`first_key`), passed when the caller has it already.
    """
    if key is None:
        key = first_key(low)
    if key:
        if key[0].isdigit():
            s = low.lstrip(LEAD_PUNCT)
            if _NUMBER_ONLY_RE.match(s):
                return "metadata", "number_only"
            if len(s) <= 80 and _is_date_line(s):
                return "timestamp", "timestamp_line"
            if _RELATIVE_TIME_RE.match(s):
                return "metadata", "relative_time"
            m = _FIRST_WORD_RE.match(s, s.find(" ") + 1) if " " in s[:6] else None
            if m is not None and m.group() in _COUNT_COMMENT_WORDS:
                return "comments", "comments_pattern"
            return None
        entry = _START_INDEX.get(key)
        if entry is not None:
            s = low.lstrip(LEAD_PUNCT)
            rx, labels = entry
            mm = rx.match(s)
            if mm is not None:
                name = mm.lastgroup
                if name == "g_d":
                    return "timestamp", "timestamp_line"
                found = labels[int(name[1:])]
                if found[0] == "byline" and (len(s) > 80 or s[-1] in ".!?"):
                    return None  # "By contrast, …" opens a sentence, not a byline
                if found[1] == "relative_time" and len(s) > 40:
                    return None
                return found
    elif low.lstrip(LEAD_PUNCT)[:1] == "©":
        return "copyright", "copyright_pattern"
    if low[-1:] == ":" and len(low) <= 90 and low.endswith(_COMMENTER_ENDS) and (low.count(" ") <= 4 or _HAS_DIGIT_RE.search(low)):
        return "comments", "commenter_says"  # "jane on May 3, 2019 at 4:47 pm said:"
    return None


# --- anywhere in a line -----------------------------------------------------------------------
# Each family's regex runs only on lines that pass its gate: a chain of substring tests (cheaper
# than one regex search over the line; non-ASCII keys are tested on non-ASCII lines only).
CAPTION_RE = re.compile(
    r"\b(?:photo|picture|image|foto|bild)\s*(?:credit\s*)?(?::|by\b)|\bphotograph(?:ed)?\s*(?::|by\b)"
    r"|reuters\s*/|/\s*(?:reuters|afp|ap|epa|pool|getty|xinhua|sputnik|file\s+photo)\b|getty\s+images|shutterstock|istock"
    r"|\bap\s+photo\b|afp\s+photo|epa-efe|\bfile\s+photo\b|credit\s*:\s*\S"
    r"|\((?:[^()]*/)+[^()]*\)\s*$"  # "(Gavriil GRIGOROV/POOL/AFP)"
    r"|\([^()]*\b(?:via|photo|file|pool)\b[^()]*\)\s*$|\((?:afp|ap|reuters|epa|getty|ians|pti|xinhua|file)\)\s*$"
)
COPYRIGHT_RE = re.compile(
    r"all\s+rights\s+reserved|registered\s+trademarks?|are\s+trademarks\s+of|may\s+not\s+be\s+(?:published|reproduced|copied)"
    r"|without\s+(?:prior\s+)?(?:written\s+)?permission|direitos\s+reservados|derechos\s+reservados|droits\s+r[ée]serv[ée]s"
    r"|rechte\s+vorbehalten|diritti\s+riservati|права\s+защищены|版权所有|版權所有|無断転載|저작권|[©ⓒ]|\(c\)\s|copyright\s"
)
_COMPANY_RE = re.compile(
    r"[\w .&'’-]{2,40}(?:media|press|news|publishing|group|holdings?|company|corporation|network)\s*,?\s+(?:inc|llc|ltd|limited|corp|s\.?a|gmbh)\.?$"
)
_COMPANY_ENDS = ("inc", "inc.", "llc", "llc.", "ltd", "ltd.", "limited", "corp", "corp.", "sa", "s.a", "s.a.", "sa.", "gmbh")
NEWSLETTER_RE = re.compile(
    r"newsletter|subscribe|subscription|sign\s*up\b|inbox|follow\s+us|whatsapp\s+channel|telegram\s+channel|download\s+(?:the|our)\s+app"
    r"|app\s+store|google\s+play"
)
COMMENTS_RE = re.compile(
    r"community\s+guidelines|logged\s+in\s+to\s+(?:post\s+a\s+)?comment|email\s+address\s+will\s+not\s+be\s+published|required\s+fields\s+are\s+marked"
)
_BREADCRUMB_SEPS = (" > ", " › ", " » ", " / ", " | ", " :: ")


def _caption_gate(low: str) -> bool:
    return (
        "/" in low or low[-1:] == ")" or "photo" in low or "credit" in low or "image" in low or "pictur" in low
        or "getty" in low or "stock" in low or "foto" in low or "bild" in low or "epa" in low
    )


def _copyright_gate(low: str) -> bool:
    if "right" in low or "(c)" in low or "trademark" in low or "permission" in low or "reserv" in low or "may not be" in low:
        return True
    return not low.isascii() and (
        "©" in low or "ⓒ" in low or "réserv" in low or "vorbehalten" in low or "riservati" in low or "защищены" in low
        or "版" in low or "無断" in low or "저작권" in low
    )


def _newsletter_gate(low: str) -> bool:
    return (
        "subscri" in low or "newsletter" in low or "sign" in low or "inbox" in low or "follow" in low or "channel" in low
        or "download" in low or "store" in low or "play" in low
    )


def _comments_gate(low: str) -> bool:
    return "guideline" in low or "logged" in low or "published" in low or "required" in low


def _is_breadcrumb(content: str) -> bool:
    for sep in _BREADCRUMB_SEPS:
        if content.count(sep) >= 2 and all(len(p) <= 30 for p in content.split(sep)):
            return True
    return False


def _long_caption_gate(low: str) -> bool:
    return "/" in low or low[-1:] == ")" or "photo" in low or "credit" in low or "image" in low or "pictur" in low or "foto" in low


def match_anywhere(content: str, low: str) -> tuple[str, str] | None:
    """Families found anywhere in a line: captions, copyright notices, newsletter/comment prompts, breadcrumbs.

    Lines over 200 characters (paragraphs, mostly) pass a shorter caption gate: the keys a long
    caption carries.
    """
    n = len(low)
    if n > 200:
        if n <= 600 and _long_caption_gate(low) and CAPTION_RE.search(low):
            return "caption", "caption_pattern"
        if n <= 300 and _copyright_gate(low) and COPYRIGHT_RE.search(low):
            return "copyright", "copyright_pattern"
        if n <= 300 and _comments_gate(low) and COMMENTS_RE.search(low):
            return "comments", "comments_pattern"
        return None
    if _caption_gate(low) and CAPTION_RE.search(low):
        return "caption", "caption_pattern"
    if n <= 300:
        if _copyright_gate(low) and COPYRIGHT_RE.search(low):
            return "copyright", "copyright_pattern"
        if n <= 80 and low.endswith(_COMPANY_ENDS) and _COMPANY_RE.match(low):
            return "copyright", "copyright_pattern"
        if n <= 200 and _newsletter_gate(low) and NEWSLETTER_RE.search(low):
            return "newsletter", "newsletter_pattern"
        if _comments_gate(low) and COMMENTS_RE.search(low):
            return "comments", "comments_pattern"
        if n <= 100 and " " in content and _is_breadcrumb(content):
            return "navigation", "breadcrumb"
        if content[-1:] == "|" and _NAME_PIPE_RE.match(content):
            return "byline", "name_pipe"
    return None


def match_line(content: str) -> tuple[str, str] | None:
    """(label, rule) of the chrome/article-part family of a stripped line, or None."""
    low = content.lower()
    m = match_start(low) if len(low) <= 300 else None
    return m if m is not None else match_anywhere(content, low)
