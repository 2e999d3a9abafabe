"""Language detection of body text (py3langid)."""

from __future__ import annotations

import pytest

from flows.text.language import _iso1, detect_language

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
