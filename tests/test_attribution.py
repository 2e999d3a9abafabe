"""Attributions (who says so, with scopes), quotes, and canonical source names."""

from __future__ import annotations

from flows.text.attribution import attribution_for, find_attributions, find_quotes
from flows.text.source_names import SourceResolver


def _atts(s):
    return [(a.source_text, a.verb, a.kind) for a in find_attributions(s)]


def test_list_subject_and_second_clause_subject():
    s = ("Seoul, Washington and Kyiv have said there are more than 10,000 North Korean soldiers in Russia, and "
         "U.S. officials and Ukraine's defence minister said some of them have engaged in combat in Kursk.")
    atts = find_attributions(s)
    assert [(a.source_text, a.verb) for a in atts] == [
        ("Seoul, Washington and Kyiv", "have said"), ("U.S. officials and Ukraine's defence minister", "said")]
    assert attribution_for(atts, s.index("10,000")).source_text == "Seoul, Washington and Kyiv"
    assert attribution_for(atts, s.index("engaged")).verb == "said"


def test_trailing_attribution_governs_the_sentence():
    s = ("North Korea ratified the treaty through a decree signed Monday by the country's president, "
         "KCNA said, using one of Kim's titles.")
    atts = find_attributions(s)
    assert _atts(s) == [("KCNA", "said", "subject_verb")]
    assert attribution_for(atts, s.index("ratified")) is atts[0]


def test_according_to_list_and_citing_defers_to_subject():
    s = ("According to U.S., South Korean and Ukrainian intelligence assessments, up to 12,000 North Korean "
         "troops have been sent to Russia.")
    assert _atts(s) == [("U.S., South Korean and Ukrainian intelligence assessments", "according to",
                         "according_to")]
    s = ("Citing intelligence reports, South Korea, Ukraine and the West say North Korea has deployed around "
         "10,000 troops to Russia.")
    atts = find_attributions(s)
    assert attribution_for(atts, s.index("10,000")).source_text == "South Korea, Ukraine and the West"


def test_including_list_inverted_pronoun_and_coordinated():
    s = ("The international community, including Seoul, Washington and Kiev, has voiced concerns about North "
         "Korea sending more than 10,000 troops to Russia.")
    assert _atts(s)[0][:2] == ("Seoul, Washington and Kiev", "has voiced concerns")
    assert _atts("“We will not back down,” said Zelensky, adding that the fight continues.")[0][:1] == ("Zelensky",)
    assert _atts("She said prices for her milk had fallen by 12% since last year.") == [("She", "said", "pronoun")]
    s = "North Korea's Foreign Minister Choe Son Hui recently visited Moscow and said her country would win."
    assert _atts(s) == [("North Korea's Foreign Minister Choe Son Hui", "said", "coordinated")]


def test_nouns_and_negations_are_not_attributions():
    assert find_attributions("The report came amid international criticism over military cooperation.") == []
    assert find_attributions("Russia has not confirmed the presence of the North Korean troops.") == []


def test_quotes_and_open_paragraph_quotes():
    qs = find_quotes('"We are not against trade. We are against unfair competition," said Marie Dupont.')
    assert len(qs) == 1 and qs[0].n_words == 10
    qs = find_quotes("“The commission has heard the farmers. Their concerns are legitimate and we act.")
    assert qs[0].open_ended


def test_canonical_names_merge_variants():
    r = SourceResolver()
    assert r.canonical("Ukrainian President Volodymyr Zelenskiy").name == "Volodymyr Zelensky"
    assert r.canonical("Zelenskyy").name == "Volodymyr Zelensky"
    assert r.canonical("the Korean Central News Agency (KCNA)").name == "KCNA"
    assert r.canonical("state media KCNA").name == "KCNA"
    assert r.canonical("South Korea’s spy agency").name == "NIS"
    assert r.canonical("Seoul, Washington and Kiev").name == "Seoul, Washington and Kyiv"
    assert r.canonical("U.S., South Korean and Ukrainian intelligence assessments").name == \
        "United States, South Korea and Ukraine intelligence assessments"
    assert r.canonical("the North’s state media").name == "North Korean state media"
    c = r.canonical("European Commission spokesperson Olof Gill")
    assert (c.name, c.entity_type) == ("Olof Gill", "person")


def test_surname_resolves_to_full_name_seen_before():
    r = SourceResolver()
    assert r.canonical("Taiwan President Lai Ching-te").name == "Lai Ching-te"
    assert r.canonical("Lai").name == "Lai Ching-te"
    r.canonical("North Korean leader Kim Jong Un")
    assert r.canonical("Kim").name == "Kim Jong Un"
