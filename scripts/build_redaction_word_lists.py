"""Build the word lists that redaction ships (narrative_service/redaction/data/).

Redaction has to find names typed in lower case, in capitals and in transcribed speech,
where spaCy's small English model (which reads capital letters) does not see them, and has
to leave ordinary words that are also names ("Draft", "will", "Frank" as in frank) alone.
It needs three small lists, built here once from public data in PyPI packages; nothing is
fetched at run time.

- names.txt: first names and surnames, lower case, each with F (first name), S (surname)
  or FS, and "*" when the word is also an everyday English word (frank, grace, will, ward),
  which is then hidden only where the context says it is a name.
  Sources: the 1990 US Census name frequency files (public domain), from the `names`
  package 0.3.0: every first name, and surnames held by at least 0.001 % of people; the
  first names and surnames that Faker (MIT licence) lists for the countries of birth most
  common in the UK after the UK itself (ONS), where Faker writes them in Latin letters;
  and a short hand-written list of British short forms and nicknames.
- words.txt: everyday English words, most frequent first, that are mostly written in lower
  case, so that a capital letter on them is a sentence's start rather than a name.
- capitalised.txt: words mostly written with a capital (names, places, months) or in
  capitals (acronyms, marked "U"), to restore the case of text typed without capitals.
  Both from the cased word probabilities that spaCy's lookups package (spacy-lookups-data
  1.0.5, MIT licence, table en_lexeme_prob) ships; the verb, adjective and adverb index of
  the same package (WordNet 3.0, Princeton's permissive licence) marks words with a sense
  other than a noun.

Run, with the three packages downloaded and unpacked (`pip download --no-deps names==0.3.0
faker spacy-lookups-data==1.0.5`; unzip the wheels, untar the sdist):

    .venv/bin/python scripts/build_redaction_word_lists.py \\
        --census names-0.3.0/names --faker faker/providers/person \\
        --lookups spacy_lookups_data/data
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import math
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "narrative_service" / "redaction" / "data"


def _words(text: str) -> list[str]:
    return text.split()


# Faker locales for the UK's most common countries of birth outside the UK (ONS, Census
# 2021), and the UK's and Ireland's own, where Faker writes the names in Latin letters.
FAKER_LOCALES = _words(
    "en_GB en_IE ga_IE en_IN en_PK en_NG yo_NG ig_NG ha_NG tw_GH en_KE sw zu_ZA pl_PL "
    "ro_RO lt_LT lv_LV sk_SK cs_CZ hu_HU pt_PT pt_BR it_IT es_ES fr_FR de_DE tr_TR vi_VN"
)
SURNAME_SHARE = 0.001  # per cent of people, in the Census surname file

# British and Irish short forms and nicknames, written by hand.
NICKNAMES = _words(
    """
baz bazza gaz gazza daz dazza shaz shazza kez kezza tez tezza loz lozza jez jezza
tel del dell mick micky mickey mikey tommo jonno robbo davo stevo macca smudge
dot dottie bev viv val sal mo jo pat bob bobby ted teddy fred freddie alf alfie bert
bertie reg len stan wilf norm ron ronnie sid vic ken kenny col ste stevie jonny jimmy
tash tasha becky becks vicky nicky mandy sandy cathy kath liz lizzie beth lou lulu
maggie meg peggy molly polly sally dolly nell nellie winnie minnie millie tilly evie
rosie josie lexie kat katie kaz kazza char chaz nat nattie jax jaz bex dee
"""
)

WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
PARTICLES = {"ó", "ní", "nic", "mac", "mc", "de", "da", "di", "du", "van", "von", "al", "el"}


def zipf(probability: float) -> float:
    """Occurrences per billion words, as a base-10 logarithm (wordfreq's Zipf scale)."""
    return math.log10(probability * 1e9) if probability > 0 else -9.0


def cased_statistics(lookups: Path) -> dict[str, list[float]]:
    """Lower-case word -> probability as written [lower, Title, UPPER, other]."""
    with gzip.open(lookups / "en_lexeme_prob.json.gz", "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for written, log_probability in table.items():
        if not re.fullmatch(r"[A-Za-z][A-Za-z'’\-]*", written):
            continue
        word = written.lower()
        if written == word:
            kind = 0
        elif written == word[:1].upper() + word[1:]:
            kind = 1
        elif written == written.upper():
            kind = 2
        else:
            kind = 3
        totals[word][kind] += math.exp(log_probability)
    return dict(totals)


def other_senses(lookups: Path) -> set[str]:
    """Words WordNet lists as a verb, an adjective or an adverb."""
    with gzip.open(lookups / "en_lemma_index.json.gz", "rt", encoding="utf-8") as handle:
        index = json.load(handle)
    return {word for part in ("verb", "adj", "adv") for word in index[part]}


def is_everyday(word: str, stats: dict[str, list[float]], senses: set[str]) -> bool:
    """An ordinary English word as well as a name: common in lower case, and either often
    written that way or with a sense other than a noun (frank, will, grace, mark)."""
    counts = stats.get(word)
    if not counts:
        return False
    lower, total = counts[0], sum(counts)
    share = lower / total
    return (zipf(lower) >= 3.0 and (share >= 0.15 or word in senses)) or (
        zipf(lower) >= 2.0 and share >= 0.5
    )


def _norm(name: str) -> list[str]:
    """The parts of a name, lower case: "Kelly-Anne O'Neill" -> kelly, anne, o'neill."""
    name = unicodedata.normalize("NFC", name).lower().replace("’", "'").replace("-", " ")
    return [part for part in WORD.findall(name) if len(part) >= 2 and part not in PARTICLES]


def census_names(census: Path) -> tuple[set[str], set[str]]:
    first, last = set(), set()
    for filename in ("dist.male.first", "dist.female.first"):
        for line in (census / filename).read_text().splitlines():
            first.update(_norm(line.split()[0]))
    for line in (census / "dist.all.last").read_text().splitlines():
        name, share = line.split()[:2]
        if float(share) >= SURNAME_SHARE:
            last.update(_norm(name))
    return first, last


def _literal_names(source: str, attributes: tuple[str, ...]) -> list[str]:
    """The strings assigned to the given class attributes in a Faker provider module."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for target in targets:
            if isinstance(target, ast.Name) and target.id in attributes:
                names += [
                    constant.value
                    for constant in ast.walk(value)
                    if isinstance(constant, ast.Constant) and isinstance(constant.value, str)
                ]
    return names


def faker_names(faker: Path) -> tuple[set[str], set[str]]:
    first, last = set(), set()
    first_attributes = ("first_names", "first_names_male", "first_names_female")
    last_attributes = (
        "last_names",
        "last_names_male",
        "last_names_female",
        "unisex_last_names",
        "male_last_names",
        "female_last_names",
    )
    for locale in FAKER_LOCALES:
        source = (faker / locale / "__init__.py").read_text(encoding="utf-8")
        for name in _literal_names(source, first_attributes):
            first.update(part for part in _norm(name) if _is_latin(part))
        for name in _literal_names(source, last_attributes):
            last.update(part for part in _norm(name) if _is_latin(part))
    return first, last


def _is_latin(word: str) -> bool:
    return all(char.isascii() or "\u00c0" <= char <= "\u024f" or char == "'" for char in word)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--census", type=Path, required=True)
    parser.add_argument("--faker", type=Path, required=True)
    parser.add_argument("--lookups", type=Path, required=True)
    args = parser.parse_args()
    stats = cased_statistics(args.lookups)
    senses = other_senses(args.lookups)
    first, last = census_names(args.census)
    more_first, more_last = faker_names(args.faker)
    first |= more_first | set(NICKNAMES)
    last |= more_last
    OUT.mkdir(parents=True, exist_ok=True)

    lines = []
    # Stop words stay in ("will", "may"): redaction never takes them for names alone, but
    # "Will said" is someone.
    for name in sorted(first | last):
        kinds = ("F" if name in first else "") + ("S" if name in last else "")
        lines.append(f"{name}\t{kinds}" + ("\t*" if is_everyday(name, stats, senses) else ""))
    (OUT / "names.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    everyday = [
        (word, counts)
        for word, counts in stats.items()
        if zipf(counts[0]) >= 2.5 and counts[0] / sum(counts) >= 0.5 and "'" not in word
    ]
    everyday.sort(key=lambda item: -item[1][0])
    (OUT / "words.txt").write_text("\n".join(w for w, _ in everyday) + "\n", encoding="utf-8")

    capitalised = []
    for word, counts in sorted(stats.items()):
        total = sum(counts)
        if zipf(total) < 2.0 or "'" in word:
            continue
        if counts[2] / total >= 0.5 and len(word) >= 2:
            capitalised.append(f"{word}\tU")
        elif counts[1] / total >= 0.8:
            capitalised.append(word)
    (OUT / "capitalised.txt").write_text("\n".join(capitalised) + "\n", encoding="utf-8")
    for filename in ("names.txt", "words.txt", "capitalised.txt"):
        path = OUT / filename
        count = len(path.read_text(encoding="utf-8").splitlines())
        print(f"{filename}: {count:,} lines, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
