"""Generate a benchmark corpus of unique, real-looking page dumps from the seeds and our own fixtures.

    python bench/generate_corpus.py OUT_DIR --docs 20000 [--seed 7]

Every document is different (numbers, names, dates, paragraph order and a unique reference line vary),
so content hashing cannot deduplicate them; documents are spread over "site" folders of 500 so the
cross-page chrome detection sees sites.  Templates: seeds/articles/*.txt and tests/resources/**/*.txt
(our own writing) - nothing from the dev set.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{2,5}\b")
NAMES = ["Anna Berg", "Tomas Kral", "Lina Osei", "Marco Bellini", "Sun-hee Park", "Omar Haddad",
         "Ines Duarte", "Pavel Novak", "Keiko Mori", "Rahul Mehta", "Freya Holm", "Jonas Weber"]
CITIES = ["SEOUL", "MOSCOW", "KYIV", "WASHINGTON", "PARIS", "TOKYO", "BERLIN", "JAKARTA", "OSLO", "MADRID"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def templates() -> list[str]:
    paths = sorted((REPO / "seeds" / "articles").glob("*.txt"))
    paths += sorted(p for p in (REPO / "tests" / "resources").rglob("*.txt")
                    if "inputs" not in p.parts and p.stat().st_size > 800)
    out = []
    for p in paths:
        try:
            out.append(p.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue
    return out


def vary(text: str, rng: random.Random, serial: int) -> str:
    def number(m: re.Match) -> str:
        raw = m.group(0)
        if len(raw) == 4 and raw.startswith(("19", "20")):  # keep years plausible
            return str(rng.randint(2019, 2025))
        value = int(raw.replace(",", "")) * rng.uniform(0.5, 1.5)
        return f"{int(value):,}" if "," in raw else str(max(1, int(value)))

    text = NUMBER.sub(number, text)
    for city in CITIES:
        if city in text and rng.random() < 0.5:
            text = text.replace(city, rng.choice(CITIES))
    for month in MONTHS:
        if month in text and rng.random() < 0.3:
            text = text.replace(month, rng.choice(MONTHS))
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 6:  # swap two middle paragraphs
        i = rng.randrange(2, len(paragraphs) - 2)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    k = rng.randrange(1, max(2, len(paragraphs) - 1))
    paragraphs.insert(k, f"{rng.choice(NAMES)} contributed reporting to this story, reference {serial:08d}.")
    return "\n\n".join(paragraphs)


def generate(out: Path, docs: int, seed: int = 7, per_site: int = 500) -> Path:
    rng = random.Random(seed)
    bases = templates()
    out.mkdir(parents=True, exist_ok=True)
    for i in range(docs):
        site = out / f"site_{i // per_site:03d}"
        if i % per_site == 0:
            site.mkdir(exist_ok=True)
        (site / f"doc_{i:07d}.txt").write_text(vary(bases[i % len(bases)], rng, i), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.docs, args.seed)
    print(f"wrote {args.docs} documents to {args.out}")


if __name__ == "__main__":
    main()
