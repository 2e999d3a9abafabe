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


def _ml(s, lang):
    from flows.text.attribution import find_attributions_ml

    return [(a.source_text, a.verb, a.kind) for a in find_attributions_ml(s, lang)]


def test_french_inverted_appositive_and_selon():
    s = ("Le bilan dépasse 2 500 morts, a déclaré mardi le ministre de l'Intérieur, Kemal Aydin.")
    assert _ml(s, "fr") == [("Kemal Aydin", "a déclaré", "inverted")]
    s = "Selon l'agence de gestion des catastrophes AFAD, près de 10 000 personnes ont été blessées."
    assert _ml(s, "fr") == [("l'agence de gestion des catastrophes AFAD", "selon", "according_to")]
    assert _ml("Il a ajouté que 12 000 emplois étaient concernés.", "fr") == [("Il", "a ajouté", "pronoun")]


def test_spanish_dijo_segun_and_appositive_subject():
    s = '"Son unas cuentas para las familias", dijo la ministra de Hacienda, Carmen Ruiz, en una rueda de prensa.'
    assert _ml(s, "es") == [("Carmen Ruiz", "dijo", "inverted")]
    s = "El líder de la oposición, Javier Molina, afirmó que los alquileres han subido."
    assert _ml(s, "es") == [("Javier Molina", "afirmó", "subject_verb")]
    s = "El Congreso aprobó los presupuestos, según informó el Ministerio de Hacienda."
    atts = find_attributions_ml_full(s, "es")
    assert (atts[0].source_text, atts[0].kind) == ("el Ministerio de Hacienda", "according_to")
    assert attribution_for(atts, s.index("aprobó")) is atts[0]  # a trailing "según …" governs the sentence


def find_attributions_ml_full(s, lang):
    from flows.text.attribution import find_attributions_ml

    return find_attributions_ml(s, lang)


def test_german_sagte_and_laut_and_portuguese_disse_segundo():
    s = "„Wir werden nicht aufgeben“, sagte Bundeskanzler Olaf Scholz am Dienstag in Berlin."
    assert _ml(s, "de") == [("Bundeskanzler Olaf Scholz", "sagte", "inverted")]
    s = "Laut dem Statistischen Bundesamt stiegen die Preise um 2,4 Prozent."
    assert _ml(s, "de") == [("dem Statistischen Bundesamt", "laut", "according_to")]
    s = "“A economia vai crescer”, disse o ministro da Fazenda, Fernando Haddad."
    assert _ml(s, "pt") == [("Fernando Haddad", "disse", "inverted")]
    assert _ml("Segundo o IBGE, a inflação chegou a 4,5%.", "pt") == [("o IBGE", "segundo", "according_to")]


def test_german_and_guillemet_quotes():
    qs = find_quotes("„Wir werden nicht aufgeben“, sagte er. »Das ist klar«, fügte er hinzu.")
    assert [q.text for q in qs] == ["Wir werden nicht aufgeben", "Das ist klar"]
    assert find_quotes("« Nous ne laisserons personne », a affirmé le ministre.")[0].n_words == 4


def test_english_descriptors_before_names_and_short_trailing_attribution():
    s = '"The disinflation process is well on track," ECB policymaker Luis Ortega said in Madrid.'
    assert _atts(s) == [("ECB policymaker Luis Ortega", "said", "subject_verb")]
    s = "Investors moved some 14 billion euros into bond funds in September, fund tracker EPFR said."
    assert _atts(s)[0][0] == "fund tracker EPFR"
    s = "The budget includes 900 million euros for housing, Finance Minister Joana Ribeiro told lawmakers."
    atts = find_attributions(s)
    assert attribution_for(atts, s.index("900")).source_text == "Finance Minister Joana Ribeiro"
    s = "The party voted against. Its leader, Pedro Nunes, said rents had risen by more than 40 percent."
    assert _atts(s) == [("Pedro Nunes", "said", "subject_verb")]


def test_role_and_data_source_names():
    r = SourceResolver()
    assert r.canonical("Finance Minister Joana Ribeiro").name == "Joana Ribeiro"
    assert r.canonical("the minister").name == "Joana Ribeiro"  # the person last given that role
    assert r.canonical("Eurostat data").name == "Eurostat"
    assert r.canonical("the UN").name == "United Nations"
    assert r.canonical("preliminary results from the state electoral commission").name == \
        "state electoral commission"
    assert r.canonical("the U.S. Geological Survey").name == "U.S. Geological Survey"
