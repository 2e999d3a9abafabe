"""Teasers after the body that repeat the page's own headline or lede are told from the story."""

from __future__ import annotations

from flows.text.body import body_text
from flows.text.segment import segment

LEDE = ("Dock workers at three northern ports ended a nine-day strike on Friday after unions and port "
        "operators agreed a pay deal that raises wages by 6 percent this year and 4 percent next year.")
HEADLINE = "Dock workers end strike at three northern ports after pay deal"
BODY = [
    LEDE,
    "The agreement, reached after talks that ran through the night, still has to be approved by union "
    "members in a vote next week, the unions said in a statement.",
    "Shipping lines had diverted dozens of vessels to other ports during the strike, and hauliers said "
    "queues of lorries stretched for several kilometres outside the terminals.",
    "Port operators said the deal would cost them about 40 million euros a year but that a longer strike "
    "would have cost far more.",
]


def _page(after_body: list[str]) -> str:
    return "\n\n".join(["Home | World | Business | Sport", HEADLINE, "By Anna Berg", *BODY, *after_body]) + "\n"


def _by_text(blocks) -> dict[str, tuple[str, str]]:
    return {b.text: (b.label, b.rule) for b in blocks}


def test_lede_and_headline_repeated_in_a_teaser_box_after_the_body_are_teasers():
    # the teaser quotes the lede in other case and punctuation, cut short
    lede_teaser = LEDE.upper().replace(",", "")[:110].rstrip()
    blocks = segment(_page(["More from World", lede_teaser, HEADLINE,
                            "Related: Rail unions announce new walkouts for next month"]))
    got = _by_text(blocks)
    assert got[lede_teaser] == ("teaser", "lede_duplicate")
    assert [b.block_index for b in blocks if b.text == HEADLINE] == [1, 9]
    assert (blocks[9].label, blocks[9].rule) == ("teaser", "headline_duplicate")
    assert body_text(blocks) == "\n\n".join(BODY)


def test_a_lede_like_line_that_goes_on_differently_is_not_a_teaser():
    # starts like the lede (the first 30 characters) but its first eight words are not in the body's start
    other = "Dock workers at three northern ports will vote next week on whether to accept the pay deal"
    blocks = segment(_page([other]))
    assert _by_text(blocks)[other][1] != "lede_duplicate"
    assert body_text(blocks).startswith(LEDE)
