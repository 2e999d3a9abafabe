"""Language detection of body text (py3langid)."""

from __future__ import annotations

import pytest

from flows.text.language import _iso1, classify_language, detect_language

SAMPLES = {
    "vi": "Bắc Triều Tiên đã phê chuẩn hiệp ước phòng thủ chung với Nga, theo đó hai bên cam kết hỗ trợ "
    "lẫn nhau nếu một trong hai nước bị tấn công vũ trang.",
    "ar": "قالت وزارة التجارة يوم الثلاثاء إن الصادرات ارتفعت بنحو عشرة بالمئة خلال الأشهر التسعة الأولى من العام.",
    "sr": "Влада Србије усвојила је данас предлог закона о буџету за наредну годину, којим су планирана "
    "већа издвајања за инфраструктуру и здравство.",
    "id": "Pemerintah menargetkan produksi beras nasional naik sekitar lima persen pada tahun depan melalui "
    "perluasan lahan irigasi dan bantuan benih bagi petani.",
    "no": "Regjeringen foreslår å bruke flere hundre millioner kroner på nye hurtigladere langs riksveiene "
    "i Nord-Norge, opplyser departementet tirsdag.",
    "en": "North Korea has ratified a mutual defence treaty with Russia signed by the two countries' leaders "
    "in June, state media said on Tuesday.",
    "de": "Die Bundesregierung will den Einbau von Wärmepumpen in älteren Wohngebäuden stärker fördern, "
    "sagte ein Sprecher des Ministeriums am Montag.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects_language(lang: str) -> None:
    code, prob = detect_language(SAMPLES[lang])
    assert code == lang
    assert 0.5 < prob <= 1.0


@pytest.mark.parametrize("text", ["", "Reuters", "12/11/2024 10:05", "— • — • —" * 20, "OK " * 10])
def test_short_or_letterless_text_gives_none(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


def test_only_the_start_is_classified() -> None:
    mixed = SAMPLES["en"] * 6 + SAMPLES["de"] * 40  # the German tail lies beyond the sampled prefix
    assert detect_language(mixed)[0] == "en"


def test_codes_are_iso_639_1() -> None:
    assert _iso1("arz") == "ar"
    assert _iso1("yue") == "zh"
    assert _iso1("pcm") is None
    assert _iso1("en") == "en"


# Own sentences, long enough for the cheap rules (>= 20 words).
RULE_SAMPLES = {
    "en": ("function_words", "The ministry said on Tuesday that exports had risen by about ten percent in the first "
           "nine months of the year, and that the government would publish its full report in December."),
    "es": ("function_words", "El ministerio dijo el martes que las exportaciones subieron cerca de un diez por ciento "
           "en los primeros nueve meses del año y que el gobierno publicará su informe completo en diciembre."),
    "fr": ("function_words", "Le ministère a indiqué mardi que les exportations ont progressé d'environ dix pour cent "
           "au cours des neuf premiers mois de l'année et que le gouvernement publiera son rapport en décembre."),
    "ru": ("function_words", "Министерство сообщило во вторник, что экспорт вырос примерно на десять процентов за "
           "первые девять месяцев года и что правительство опубликует полный доклад в декабре, который уже готов."),
    "ko": ("script", "산업통상자원부는 화요일 올해 첫 아홉 달 동안 수출이 약 10퍼센트 늘었다고 밝혔으며 정부는 12월에 전체 "
           "보고서를 발표할 예정이라고 덧붙였다."),
    "el": ("script", "Το υπουργείο ανέφερε την Τρίτη ότι οι εξαγωγές αυξήθηκαν κατά περίπου δέκα τοις εκατό τους "
           "πρώτους εννέα μήνες του έτους."),
}


@pytest.mark.parametrize("lang", sorted(RULE_SAMPLES))
def test_cheap_rules_decide_common_languages(lang: str) -> None:
    rule, text = RULE_SAMPLES[lang]
    assert classify_language(text)[::2] == (lang, rule)


def test_bulgarian_is_not_taken_for_russian() -> None:
    # Bulgarian shares many function words with Russian but never writes "ы": py3langid decides.
    text = ("Министерството съобщи във вторник, че износът се е увеличил с около десет процента през първите "
            "девет месеца на годината и че правителството ще публикува пълния доклад през декември.")
    code, _, rule = classify_language(text)
    assert (code, rule) == ("bg", "py3langid")


def test_japanese_with_english_words_is_not_english() -> None:
    text = ("Kindle for PC を使うと、the book you are reading をそのままパソコンで開けます。スマホやタブレットで"
            "読むことが多いと思いますが、調べながら作業をする場合には大きな画面のほうが便利です。") * 2
    code, _, rule = classify_language(text)
    assert code == "ja" and rule != "function_words"


def test_unsure_text_goes_to_py3langid() -> None:
    # Indonesian shares its function words with Malay: the shortcut steps aside.
    assert classify_language(SAMPLES["id"] * 3)[::2] == ("id", "py3langid")
