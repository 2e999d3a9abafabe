"""Compiled date patterns and the month/weekday name tables they are built from.

Everything here is compiled once at import.  Month names cover English, French, German, Spanish,
Portuguese, Italian, Dutch, Catalan, Norwegian/Danish/Swedish, Indonesian/Malay, Russian,
Ukrainian, Serbian (Cyrillic and Latin), Croatian, Polish, Czech, Turkish, Romanian, Hungarian,
Finnish and Greek, in the nominative and genitive forms that dates use.
"""

from __future__ import annotations

import re

from flows.text.timezones import TZ_ALTERNATION

# month number -> names (lower case).  Abbreviations are listed separately because they are only
# trusted next to a day *and* a year (or a dot).
_MONTHS_FULL: dict[int, tuple[str, ...]] = {
    1: ("january", "janvier", "januar", "jänner", "enero", "janeiro", "gennaio", "januari", "gener",
        "января", "январь", "січня", "січень", "јануар", "јануара", "januara", "siječnja", "siječanj",
        "stycznia", "styczeń", "ledna", "leden", "ocak", "ianuarie", "január", "tammikuuta",
        "ιανουαρίου", "ιανουάριος"),
    2: ("february", "février", "fevrier", "februar", "feber", "febrero", "fevereiro", "febbraio",
        "februari", "febrer", "февраля", "февраль", "лютого", "лютий", "фебруар", "фебруара",
        "februara", "veljače", "veljača", "lutego", "luty", "února", "únor", "şubat", "subat",
        "februarie", "február", "helmikuuta", "φεβρουαρίου", "φεβρουάριος"),
    3: ("march", "mars", "märz", "maerz", "marzo", "março", "marco", "maart", "març", "marts",
        "maret", "марта", "март", "березня", "березень", "марта", "mart", "marta", "ožujka", "ožujak",
        "marca", "marzec", "března", "březen", "martie", "március", "maaliskuuta", "μαρτίου",
        "μάρτιος"),
    4: ("april", "avril", "abril", "aprile", "апреля", "апрель", "квітня", "квітень", "април",
        "априла", "aprila", "travnja", "travanj", "kwietnia", "kwiecień", "dubna", "duben", "nisan",
        "aprilie", "április", "huhtikuuta", "απριλίου", "απρίλιος"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mei", "maig", "maj", "мая", "май", "травня",
        "травень", "мај", "маја", "maja", "svibnja", "svibanj", "května", "květen", "mayıs",
        "mayis", "május", "toukokuuta", "μαΐου", "μαΐος", "μάιος"),
    6: ("june", "juin", "juni", "junio", "junho", "giugno", "juny", "июня", "июнь", "червня",
        "червень", "јун", "јуна", "jun", "juna", "lipnja", "lipanj", "czerwca", "czerwiec",
        "června", "červen", "haziran", "iunie", "június", "kesäkuuta", "ιουνίου", "ιούνιος"),
    7: ("july", "juillet", "juli", "julio", "julho", "luglio", "juliol", "июля", "июль", "липня",
        "липень", "јул", "јула", "jul", "jula", "srpnja", "srpanj", "lipca", "lipiec", "července",
        "červenec", "temmuz", "iulie", "július", "heinäkuuta", "ιουλίου", "ιούλιος"),
    8: ("august", "août", "aout", "agosto", "augustus", "agost", "agustus", "ogos", "augusti",
        "августа", "август", "серпня", "серпень", "август", "августа", "avgust", "avgusta",
        "kolovoza", "kolovoz", "sierpnia", "sierpień", "srpna", "srpen", "ağustos", "agustos",
        "augusztus", "elokuuta", "αυγούστου", "αύγουστος"),
    9: ("september", "septembre", "septiembre", "setiembre", "setembro", "settembre", "setembre",
        "сентября", "сентябрь", "вересня", "вересень", "септембар", "септембра", "septembar",
        "septembra", "rujna", "rujan", "września", "wrzesień", "září", "eylül", "eylul",
        "septembrie", "szeptember", "syyskuuta", "σεπτεμβρίου", "σεπτέμβριος"),
    10: ("october", "octobre", "oktober", "octubre", "outubro", "ottobre", "oktober", "октября",
         "октябрь", "жовтня", "жовтень", "октобар", "октобра", "oktobar", "oktobra", "listopada",
         "października", "październik", "října", "říjen", "ekim", "octombrie", "október",
         "lokakuuta", "οκτωβρίου", "οκτώβριος"),
    11: ("november", "novembre", "noviembre", "novembro", "nopember", "ноября", "ноябрь",
         "листопада", "листопад", "новембар", "новембра", "novembar", "novembra", "studenoga",
         "studenog", "studeni", "listopadu", "listopad", "kasım", "kasim", "noiembrie",
         "marraskuuta", "νοεμβρίου", "νοέμβριος"),
    12: ("december", "décembre", "decembre", "dezember", "diciembre", "dezembro", "dicembre",
         "desember", "desembre", "desember", "disember", "декабря", "декабрь", "грудня", "грудень",
         "децембар", "децембра", "decembar", "decembra", "prosinca", "prosinac", "grudnia",
         "grudzień", "prosince", "prosinec", "aralık", "aralik", "decembrie", "joulukuuta",
         "δεκεμβρίου", "δεκέμβριος"),
}
_MONTHS_MORE: dict[int, tuple[str, ...]] = {  # Bulgarian, Arabic (MSA and Levantine), Persian
    1: ("януари", "يناير", "كانون الثاني", "ژانویه"),
    2: ("февруари", "فبراير", "شباط", "فوریه"),
    3: ("март", "مارس", "آذار"),
    4: ("април", "أبريل", "إبريل", "ابريل", "نيسان", "آوریل"),
    5: ("май", "مايو", "أيار", "ايار", "مه"),
    6: ("юни", "يونيو", "يونيه", "حزيران", "ژوئن"),
    7: ("юли", "يوليو", "يوليه", "تموز", "ژوئیه"),
    8: ("август", "أغسطس", "اغسطس", "آب", "اوت"),
    9: ("септември", "سبتمبر", "أيلول", "ايلول", "سپتامبر"),
    10: ("октомври", "أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول", "اکتبر"),
    11: ("ноември", "نوفمبر", "تشرين الثاني", "نوامبر"),
    12: ("декември", "ديسمبر", "كانون الأول", "كانون الاول", "دسامبر"),
}
# Albanian, Estonian, Latvian, Lithuanian (genitive), Slovak, Slovene, Azerbaijani/Uzbek, Malay,
# Macedonian, Bengali, Hindi, Hebrew.
_MONTHS_EXTRA: dict[int, tuple[str, ...]] = {
    1: ("janar", "janarit", "jaanuar", "jaanuaril", "janvāris", "janvārī", "sausio", "januára",
        "januarja", "yanvar", "јануари", "জানুয়ারি", "জানুয়ারী", "जनवरी", "ינואר"),
    2: ("shkurt", "shkurtit", "veebruar", "veebruaril", "februāris", "februārī", "vasario", "februára",
        "februarja", "fevral", "фебруари", "ফেব্রুয়ারি", "ফেব্রুয়ারী", "फ़रवरी", "फरवरी", "פברואר"),
    3: ("marsit", "märts", "märtsil", "martā", "kovo", "marca", "marec", "marta", "মার্চ", "मार्च",
        "מרץ", "מרס"),
    4: ("prill", "prillit", "aprill", "aprillil", "aprīlis", "aprīlī", "balandžio", "apríla", "aprel",
        "এপ্রিল", "अप्रैल", "אפריל"),
    5: ("majit", "maijs", "maijā", "gegužės", "mája", "মে", "मई", "מאי"),
    6: ("qershor", "qershorit", "juuni", "juunil", "jūnijs", "jūnijā", "birželio", "júna", "junij",
        "junija", "iyun", "јуни", "জুন", "जून", "יוני"),
    7: ("korrik", "korrikut", "juuli", "juulil", "jūlijs", "jūlijā", "liepos", "júla", "julij", "julija",
        "iyul", "julai", "јули", "জুলাই", "जुलाई", "יולי"),
    8: ("gusht", "gushtit", "augustil", "augusts", "augustā", "rugpjūčio", "avgusta", "avqust",
        "আগস্ট", "अगस्त", "אוגוסט"),
    9: ("shtator", "shtatorit", "septembril", "septembris", "septembrī", "rugsėjo", "septembra",
        "sentyabr", "sentabr", "септември", "সেপ্টেম্বর", "सितंबर", "सितम्बर", "ספטמבר"),
    10: ("tetor", "tetorit", "oktoober", "oktoobril", "oktobris", "oktobrī", "spalio", "októbra",
         "oktobra", "oktyabr", "oktabr", "октомври", "অক্টোবর", "अक्टूबर", "אוקטובר"),
    11: ("nëntor", "nëntorit", "novembril", "novembris", "novembrī", "lapkričio", "novembra", "noyabr",
         "ноември", "নভেম্বর", "नवंबर", "नवम्बर", "נובמבר"),
    12: ("dhjetor", "dhjetorit", "detsember", "detsembril", "decembris", "decembrī", "gruodžio",
         "decembra", "dekabr", "декември", "ডিসেম্বর", "दिसंबर", "दिसम्बर", "דצמבר"),
}
for _extra in (_MONTHS_MORE, _MONTHS_EXTRA):
    for _m, _names in _extra.items():
        _MONTHS_FULL[_m] = _MONTHS_FULL[_m] + _names
# "listopada" is October in Croatian but November in Polish/Ukrainian; keep the majority reading.
_MONTHS_FULL[10] = tuple(n for n in _MONTHS_FULL[10] if n != "listopada")

_MONTHS_ABBR: dict[int, tuple[str, ...]] = {
    1: ("jan", "janv", "ene", "gen", "янв", "jän"),
    2: ("feb", "febr", "fév", "févr", "fev", "фев", "лют"),
    3: ("mar", "mär", "mrt", "мар", "mac"),
    4: ("apr", "avr", "abr", "апр"),
    5: ("mai", "mag", "mei"),
    6: ("jun", "juin", "giu", "июн"),
    7: ("jul", "juil", "lug", "июл"),
    8: ("aug", "ago", "agu", "agt", "ag", "авг"),
    9: ("sep", "sept", "set", "сен", "сент"),
    10: ("oct", "okt", "out", "ott", "окт"),
    11: ("nov", "ноя", "нояб"),
    12: ("dec", "déc", "dez", "dic", "des", "дек"),
}

MONTH_NUMBER: dict[str, int] = {}
for _m, _names in _MONTHS_FULL.items():
    for _n in _names:
        MONTH_NUMBER[_n] = _m
for _m, _names in _MONTHS_ABBR.items():
    for _n in _names:
        MONTH_NUMBER.setdefault(_n, _m)

# Abbreviations that are also common words: accepted with a year, never in year-less forms.
AMBIGUOUS_MONTH_WORDS = frozenset({"out", "set", "ago", "mag", "des", "ag", "gen", "mar", "mai", "mac",
                                   "jun", "jul", "mart", "maj", "may", "ene", "dec", "sep"})


def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


# Solar Hijri (Persian) months: "۲۹ بهمن ۱۳۹۸" (Arabic and Persian spellings of yeh/kaf).
_JALALI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
                  "بهمن", "اسفند")
JALALI_MONTH_NUMBER: dict[str, int] = {}
for _i, _n in enumerate(_JALALI_MONTHS, 1):
    JALALI_MONTH_NUMBER[_n] = _i
    JALALI_MONTH_NUMBER[_n.replace("ی", "ي").replace("ک", "ك")] = _i
JALALI = re.compile(r"(?P<d>[0-3]?\d)\s*(?P<mon>" + "|".join(sorted(JALALI_MONTH_NUMBER, key=len, reverse=True))
                    + r")(?!\w)\s*(?:ماه\s*)?(?P<y>1[34]\d\d)(?!\d)")

MONTH_FIRST_WORDS = frozenset(n.split()[0] for n in MONTH_NUMBER if " " in n)
# The word after a day number: "12th of", "12 de", "12. ", "12-"
NEXT_WORD = re.compile(r"(?:st|nd|rd|th|er|e|º|°|ª)?[\s.,/-]{0,3}(?:(?:de|of)\s+|d['’])?([^\W\d_]+)", re.IGNORECASE)

_FULL_NAMES = [n for names in _MONTHS_FULL.values() for n in names]
_ALL_NAMES = list(MONTH_NUMBER)
MONTH_ALT = _alternation(_ALL_NAMES)
MONTH_FULL_ALT = _alternation(_FULL_NAMES)

# weekday number (Monday = 0) -> names.
_WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("monday", "mon", "lundi", "montag", "lunes", "segunda-feira", "segunda", "lunedì", "lunedi",
        "maandag", "dilluns", "mandag", "måndag", "senin", "понедельник", "понеділок", "понедељак",
        "ponedjeljak", "ponedeljak", "poniedziałek", "pondělí", "pazartesi", "luni", "hétfő",
        "maanantai", "δευτέρα"),
    1: ("tuesday", "tue", "tues", "mardi", "dienstag", "martes", "terça-feira", "terça", "martedì",
        "martedi", "dinsdag", "dimarts", "tirsdag", "tisdag", "selasa", "вторник", "вівторок",
        "уторак", "utorak", "wtorek", "úterý", "salı", "marți", "kedd", "tiistai", "τρίτη"),
    2: ("wednesday", "wed", "mercredi", "mittwoch", "miércoles", "miercoles", "quarta-feira",
        "quarta", "mercoledì", "mercoledi", "woensdag", "dimecres", "onsdag", "rabu", "среда",
        "середа", "сриједа", "srijeda", "sreda", "środa", "středa", "çarşamba", "miercuri",
        "szerda", "keskiviikko", "τετάρτη"),
    3: ("thursday", "thu", "thur", "thurs", "jeudi", "donnerstag", "jueves", "quinta-feira",
        "quinta", "giovedì", "giovedi", "donderdag", "dijous", "torsdag", "kamis", "четверг",
        "четвер", "четвртак", "četvrtak", "czwartek", "čtvrtek", "perşembe", "joi", "csütörtök",
        "torstai", "πέμπτη"),
    4: ("friday", "fri", "vendredi", "freitag", "viernes", "sexta-feira", "sexta", "venerdì",
        "venerdi", "vrijdag", "divendres", "fredag", "jumat", "jum'at", "пятница", "пʼятниця",
        "п'ятниця", "петак", "petak", "piątek", "pátek", "cuma", "vineri", "péntek", "perjantai",
        "παρασκευή"),
    5: ("saturday", "sat", "samedi", "samstag", "sonnabend", "sábado", "sabado", "sabato",
        "zaterdag", "dissabte", "lørdag", "lördag", "sabtu", "суббота", "субота", "subota",
        "sobota", "cumartesi", "sâmbătă", "szombat", "lauantai", "σάββατο"),
    6: ("sunday", "sun", "dimanche", "sonntag", "domingo", "domenica", "zondag", "diumenge",
        "søndag", "söndag", "minggu", "воскресенье", "неділя", "недеља", "nedjelja", "nedelja",
        "niedziela", "neděle", "pazar", "duminică", "vasárnap", "sunnuntai", "κυριακή"),
}
WEEKDAY_NUMBER: dict[str, int] = {n: d for d, names in _WEEKDAYS.items() for n in names}
WEEKDAY_ALT = _alternation(WEEKDAY_NUMBER)
WEEKDAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_YEAR = r"(?P<y>(?:19[7-9]|20[0-4])\d)"
_NB = r"(?<![\w.,/-])"  # no word character or number-ish punctuation just before
_NA = r"(?![\w]|[.,/-]\d)"  # not followed by a word character or more number
_ORD = r"(?:st|nd|rd|th|er|e|º|°|ª|\.)?"
# End of a 4-digit year: no digit follows, unless the dump glued a time to it ("28 luglio 202010:43").
_YEAR_END = r"(?:(?!\d)|(?=[0-2]\d:[0-5]\d(?!\d)))"

# A weekday written just before a date: "Monday, 11 November 2024", "Dilluns, Març 23, 2020".
WEEKDAY_AFTER = re.compile(r"\s*[,(]\s*(?P<wd>" + WEEKDAY_ALT + r")(?!\w)", re.IGNORECASE)

# Digits of other scripts -> ASCII (same length, so offsets are kept).
NON_ASCII_DIGIT = re.compile(r"[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\uff10-\uff19]")
DIGIT_MAP = {cp + i: ord("0") + i for cp in (0x0660, 0x06F0, 0x0966, 0x09E6, 0xFF10) for i in range(10)}

# Dates with a year.  Each pattern's groups: y, and either m (number) or mon (name), and d.
ISO = re.compile(
    _NB + _YEAR + r"-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
    r"(?:(?P<tsep>T|\s+|,\s*)(?P<H>[0-2]\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:[.,]\d{1,9})?)?"
    r"\s*(?P<tz>Z|[+-][01]\d:?[0-5]\d|UTC|GMT)?)?(?![\w:])")
YMD_NUM = re.compile(_NB + _YEAR + r"(?P<sep>[/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)\.?(?!\w|[./]\d)")
# "2020. 08. 18." (Hungarian, Korean): a dot and a space after the year and the month.
YMD_SPACED = re.compile(_NB + _YEAR + r"\.[ \xa0](?P<m>[01]?\d)\.[ \xa0](?P<d>[0-3]?\d)\.?(?!\w|[./]\d)")
# A numeric date glued to the word before it by the dump ("La Información16.08.2020 - 21:03h"):
# trusted only with a 4-digit year.
NUM_DMY_GLUED = re.compile(r"(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[0-3]?\d)(?P=sep)"
                           r"(?P<y>(?:19[7-9]|20[0-4])\d)(?!\w|[./-]\d|%)")
NUM_DMY = re.compile(_NB + r"(?P<a>[0-3]?\d)\s?(?P<sep>[./-])\s?(?P<b>[0-3]?\d)\s?(?P=sep)\s?"
                     r"(?P<y>(?:19[7-9]|20[0-4])\d|[0-4]\d)(?!\w|[./-]\d|%)")
TEXT_DMY = re.compile(
    r"(?<![\w.,/])(?P<d>[0-3]?\d)" + _ORD +
    r"(?:\s*(?:de|of|d'|d’)\s*|\s*[-/ ]\s*|\s+|(?<=\.))(?:(?:de|d'|d’)\s*)?(?P<mon>" + MONTH_ALT + r")"
    r"(?!\w)\.?(?:\s*/\s*(?:" + MONTH_ALT + r"))?(?:\s*,?\s*(?:de|del|of|in)\s+|\s*[-/,]?\s*)" + _YEAR +
    r"(?:\s*(?:г\.|года|року|godine|god\.|р\.|yil|yılı|m\.))?" + _YEAR_END,
    re.IGNORECASE)
# A day glued to the word before it by the text dump ("Yahoo News Australia28 October 2020",
# "11:39 GMT29 April 2020"): trusted only with a full month name and a year.
TEXT_DMY_GLUED = re.compile(
    r"(?P<d>[0-3]?\d)\.?\s+(?:de\s+)?(?P<mon>" + MONTH_FULL_ALT + r")(?!\w)\s*,?\s*(?:de\s+)?" + _YEAR + r"(?!\d)",
    re.IGNORECASE)
# A two-digit year after a month name ("Publié le 27 Mar 20 à 9:21"): trusted only when a time
# follows, since "27 Mar 20" alone may be running text.
TEXT_DMY_YY = re.compile(
    r"(?<![\w.,/])(?P<d>[0-3]?\d)[ \xa0](?P<mon>" + MONTH_ALT + r")\.?[ \xa0](?P<yy>[0-4]\d)"
    r"(?=[ \xa0]*(?:,|à|at|um|a las|às|-|–|\|)?[ \xa0]*[0-2]?\d[:h][0-5]\d)",
    re.IGNORECASE)
TEXT_MDY = re.compile(
    r"(?<![\w])(?P<mon>" + MONTH_ALT + r")(?!\w)\.?\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
    r"(?:\s*,\s*|\s+|\s*\.\s*)" + _YEAR + _YEAR_END,
    re.IGNORECASE)
TEXT_YMD = re.compile(  # Hungarian/Lithuanian style "2020. március 23." and "2024 Nov 12"
    _NB + _YEAR + r"\.?\s+(?P<mon>" + MONTH_ALT + r")(?!\w)\.?\s+(?P<d>[0-3]?\d)\.?(?!\d)",
    re.IGNORECASE)
CJK = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*"
                 r"(?P<d>[0-3]?\d)\s*[日일]?")
VI_WORDS = re.compile(r"(?<!\w)(?:ngày\s+)?(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)"
                      r"(?:\s*(?:năm|,|/)\s*(?P<y>(?:19|20)\d{2}))?(?!\d)", re.IGNORECASE)
VI_NGAY = re.compile(r"(?<!\w)ngày\s+(?P<d>[0-3]?\d)[/.-](?P<m>[01]?\d)(?:[/.-](?P<y>(?:19|20)\d{2}))?(?!\d)",
                     re.IGNORECASE)
MONTH_YEAR = re.compile(
    r"(?<![\w])(?P<mon>" + MONTH_FULL_ALT + r")(?!\w)\.?\s*,?\s*(?:de\s+|del\s+|of\s+|d'|d’)?" + _YEAR +
    r"(?:\s*(?:г\.|года|року))?(?!\d)",
    re.IGNORECASE)
# Year-less forms: event mentions in text, or dateline dates.  They stay on one line ("18.\nMai"
# is a number ending one line and a word starting the next).
YEARLESS_DM = re.compile(
    r"(?<![\w.,/])(?P<d>[0-3]?\d)" + _ORD + r"[ \t\xa0]*(?:(?:de|of)[ \t\xa0]+)?(?P<mon>" + MONTH_FULL_ALT
    + r")(?!\w)", re.IGNORECASE)
YEARLESS_MD = re.compile(
    r"(?<![\w])(?P<mon>" + MONTH_ALT + r")(?!\w)\.?[ \t\xa0]+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:.,]\d|\w)",
    re.IGNORECASE)

# A time right after a date: ", 11:01 PM EST", " - 14:13", " at 10:05 a.m. ET", " um 14.30 Uhr".
TIME_AFTER = re.compile(
    r"(?:\s*(?:,|\||-|–|—|·|•|/)?\s*(?:at|um|à|às|a las|a les|alle|ore|om|kl\.?|klo|в|u|o)?\s*)"
    r"(?P<H>[0-2]?\d)(?:[:h時시]\s?(?P<M>[0-5]\d)|\.(?P<M2>[0-5]\d)(?=\s*(?:[aApP]\.?[mM]|Uhr|h\b|horas)))"
    r"(?:[分분])?(?::(?P<S>[0-5]\d))?"
    r"(?:\s*(?P<ampm>[aApP])\.?\s?[mM]\.?)?(?:\s*(?:Uhr|h|hrs|horas|hs)(?!\w))?"
    r"(?:\s*\(?(?P<tz>(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?|[+-][01]\d:?[0-5]\d|" + TZ_ALTERNATION +
    r")\)?(?!\w))?")
# A time just before a date: "14:13, 10 November 2024", "10:05 AM ET, Tue November 12, 2024".
TIME_BEFORE = re.compile(
    r"(?<![\d:])(?P<H>[0-2]?\d)[:h](?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?(?:\s*(?P<ampm>[aApP])\.?\s?[mM]\.?)?"
    r"(?:\s*(?P<tz>" + TZ_ALTERNATION + r"))?\s*(?:,|\||-|–|—|·|•|/|on)?\s*$")

# Relative expressions.
RELATIVE = re.compile(
    r"(?<!\w)(?:"
    r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven)\s+(?P<unit>min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?|"
    r"months?|years?)\s+ago"
    r"|(?:hace|há|ha)\s+(?P<n_es>\d{1,3}|una?|um|uma)\s+(?P<unit_es>minutos?|horas?|d[ií]as?|semanas?|mes(?:es)?|meses|"
    r"años?|anos?)"
    r"|il\s+y\s+a\s+(?P<n_fr>\d{1,3}|une?)\s+(?P<unit_fr>minutes?|heures?|jours?|semaines?|mois|ans?)"
    r"|vor\s+(?P<n_de>\d{1,3}|einem|einer)\s+(?P<unit_de>Minuten?|Stunden?|Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)"
    r"|(?P<n_it>\d{1,3}|un|una)\s+(?P<unit_it>minut[oi]|or[ae]|giorn[oi]|settiman[ae]|mes[ei]|ann[oi])\s+fa"
    r"|(?P<n_nl>\d{1,3}|een)\s+(?P<unit_nl>minuten|minuut|uur|uren|dagen|dag|weken|week|maanden|maand|jaar)\s+geleden"
    r"|(?P<n_ru>\d{1,3})\s+(?P<unit_ru>минут[уы]?|час(?:а|ов)?|дн(?:я|ей)|день|недел[юьи]|месяц(?:а|ев)?)\s+назад"
    r"|(?P<n_vi>\d{1,3})\s+(?P<unit_vi>phút|giờ|ngày|tuần|tháng|năm)\s+trước"
    r"|(?P<word>yesterday|today|ayer|hoy|hier|aujourd'hui|gestern|heute|ieri|oggi|gisteren|vandaag|ontem|hoje|"
    r"вчера|сегодня|вчора|сьогодні|hôm qua|hôm nay|kemarin|hari ini|i går|idag|i dag|ahir|avui)"
    r")(?!\w)",
    re.IGNORECASE)

# The dpa (Deutsche Presse-Agentur) story id printed under its copy: "dpa:201227-99-820474/3" is
# 27 December 2020 (YYMMDD).
DPA_ID = re.compile(r"(?<![\w])dpa:(?P<y>[0-4]\d)(?P<m>[01]\d)(?P<d>[0-3]\d)-\d{2}-\d{3,}")

# URL dates.
URL_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[/_-](?P<m>[01]?\d)[/_-](?P<d>[0-3]?\d)(?!\d)")
URL_COMPACT = re.compile(r"(?<!\d)(?P<y>20[0-4]\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
URL_YM = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]?\d)/(?!\d)")

# Words that may sit next to a date on a byline/timestamp line without making it a sentence.
BYLINE_CUE_WORDS = frozenset("""
published updated posted last modified created date dated on at by am pm publicado actualizado
atualizado publié publie mis à jour le veröffentlicht aktualisiert um stand pubblicato aggiornato il
gepubliceerd bijgewerkt publicat actualitzat publisert oppdatert publiceret opdateret publicerad
uppdaterad diterbitkan diperbarui dipublikasikan опубликовано обновлено опубліковано оновлено
објављено objavljeno opublikowano aktualizacja zveřejněno aktualizováno yayınlanma güncelleme tarih
cập nhật ngày đăng de del las às à uhr hrs horas et the and in news staff reporter editor source
fecha datum data fonte fuente quelle kl klo года г time hora heure ora utc gmt
""".split()) | frozenset(WEEKDAY_NUMBER) | frozenset(MONTH_NUMBER)
SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")
# "SEOUL, Nov 12 (Reuters) -", "PARIS (AFP) 12 nov. 2024 -": a place in capitals before the date.
DATELINE_BEFORE = re.compile(r"^\s*[A-ZÀ-ÝА-Я][A-ZÀ-ÝА-Я .'’-]{1,40}(?:,\s*[\w .]{2,30})?\s*(?:\([^)]{1,30}\))?\s*,?\s*$")
# The signature line of an embedded tweet: "— South Park (@SouthPark) September 27, 2020".
TWEET_SIGNATURE = re.compile(r"^\s*[—–-]\s*[^\n]{0,80}\(@\w{1,30}\)\s*$")
DATELINE_AFTER = re.compile(r"^\s*(?:(?:\([^)]{1,30}\))?\s*[-—–:]|\.\s*/[^/\n]{2,30}/)")

# One pass over the text finds every digit run that can be part of a date (1-2 digits or a 4-digit
# number, not inside a longer number) *in a date-like context*: followed by a numeric separator and
# a digit, by 年/년, or by a word (captured as `nw`: month name, unit, "tháng"), or preceded by a
# word (month name, "ngày", "hace" ...).  Every alternative starts with a digit so the regex engine
# skips the rest of the text quickly; the words are checked against the month tables in Python.
# (Indic vowel signs are not word characters for `re`, so the word may also hold U+0900-U+0DFF.)
_TRIGGER_ORD = r"(?:st|nd|rd|th|er|e|º|°|ª|ST|ND|RD|TH)?"
DATE_TRIGGER = re.compile(
    r"[0-9](?<![0-9][0-9])(?:[0-9]|[0-9]{3})?(?![0-9])(?:"
    r"(?=\s?[./-]\s?[0-9]|\s*[年년])"
    r"|(?=" + _TRIGGER_ORD + r"[\s.,/-]{0,3}(?:(?:de|De|DE|of)\s+|d['’])?(?P<nw>(?:[^\W\d_]|[\u0900-\u0dff])+))"
    r"|(?<=[^\W\d_][ \t\xa0.,][0-9])|(?<=[^\W\d_][ \t\xa0.,][0-9][0-9])"
    r"|(?<=[^\W\d_][ \t\xa0.,][0-9][0-9][0-9][0-9])"
    r"|(?<=[^\W\d_][.,][ \t\xa0][0-9])|(?<=[^\W\d_][.,][ \t\xa0][0-9][0-9])"
    r"|(?<=[^\W\d_][.,][ \t\xa0][0-9][0-9][0-9][0-9])"
    r")")

# "Today's date" widgets at the top of a page: a date after a "today" label, or on a line (or next
# to a line) showing the weather.  They say when the page was rendered, not when it was published.
TODAY_LABELS = ("today", "today's date", "today is", "hoy", "hoy es", "hoje", "hoje é", "heute", "heute ist",
                "oggi", "oggi è", "aujourd'hui", "nous sommes le", "vandaag", "vandaag is", "сегодня",
                "сьогодні", "днес", "dziś", "dzisiaj", "dziś jest", "danes", "danas", "dnes", "idag", "i dag",
                "i dag er", "tänään", "bugün", "σήμερα", "hôm nay", "hari ini", "avui", "gaur", "امروز",
                "اليوم", "היום", "今日", "今天", "오늘")
WEATHER = re.compile(r"-?\d{1,2}\s?°\s?[CF]?(?!\w)|\d{1,2}\s?º[CF](?!\w)")

# Words that put the event of a sentence in the future ("will meet on 12 March", "is scheduled for").
FUTURE_WORDS = frozenset("""
will won't shall scheduled upcoming next until expected planned plans sẽ sắp sera seront prochain
prochaine prochains wird werden soll nächste nächsten nächster nächstes será serán próximo próxima
próximos irá sarà saranno prossimo prossima zal zullen volgende будет будут следующей следующий
следующем наступного наступної наступний akan będzie bude
""".split())
