"""Names in any case: the shipped name and word lists, truecasing, and a recognizer for
names that spaCy's small model misses because they are typed in lower case, in capitals,
or transcribed without capitals and full stops ("so my daughter kelly rang the ward").

spaCy's model reads capital letters, so lower-case names go unseen and ordinary words at
a sentence's start ("Draft leaflet reviewed", "Frank conversations") are taken for names.
Three lists (data/, built by scripts/build_redaction_word_lists.py, sources in
data/README.md) let redaction do better:
- names.txt: first names and surnames, marked when they are everyday words too (frank,
  grace, ward), which are names only where the context says so;
- words.txt: everyday words, mostly written in lower case;
- capitalised.txt: words mostly written with a capital, or in capitals (acronyms).

truecasing.py gives spaCy text it can read from the same lists. `name_recognizer()` finds
names from the lists and from context: a title ("mrs", "Dr", "nurse"), a relation ("my
daughter", "her carer"), "called", "my name is", an age ("edna vexcombe, 87", "Grace is
fourteen"), a verb that takes a person ("Will said"), and a first name followed by a
surname or an unknown word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Scores, against redaction's: spaCy's guesses are 0.6 and patterns 0.65 and above.
FIRST_NAME_SCORE = 0.62  # a known first name beats spaCy calling a child an organisation
SURNAME_SCORE = 0.5  # a surname alone loses to spaCy's place ("york", "halifax")
CONTEXT_SCORE = 0.7  # a name after "Mrs", "my son", "called", or before an age


def _words(text: str) -> list[str]:
    return text.split()


TITLES = _words(
    "Mr Mrs Ms Miss Mx Dr Prof Professor Rev Revd Reverend Father Sister Nurse Matron Cllr "
    "Councillor PC WPC DC DS DI DCI Sgt Sergeant Inspector"
)
RELATIONS = _words(
    "son daughter husband wife partner brother sister mum mother dad father nephew niece "
    "grandson granddaughter grandma grandmother nan nana gran grandad grandpa grandfather "
    "cousin aunt auntie uncle neighbour friend carer boyfriend girlfriend fiancé fiancée "
    "stepson stepdaughter stepmum stepdad landlord landlady lodger advocate worker nurse "
    "manager doctor consultant psychiatrist therapist coordinator assessor officer"
)
# Words that, alone or together, name nobody in particular: "the police", "the council",
# "Adult Social Care", "the Safeguarding Adults Board", the care system's acronyms, roles.
GENERIC_WORDS = set(
    _words(
        "the a an of and for to in on at by with our my your his her their "
        "adult adults social care services service safeguarding team teams board council "
        "city county borough district parish police constabulary nhs trust foundation gp gps "
        "a&e ae ambulance hospital hospitals ward wards local authority department dept "
        "mental health community court courts protection bank banks post office "
        "dwp hmrc cqc mdt cpa cto msp dols lps cquin mca dnacpr pin s42 section act "
        "quality commission committee unit practice surgery housing association fire rescue "
        "probation jobcentre universal credit advocacy crisis home emergency duty desk "
        "hub front door mash multi agency partnership panel meeting conference strategy "
        "review enquiry inquiry group network forum government parliament ombudsman "
        "think family narrator facilitator staff nurse doctor carers carer support "
        "independent external senior lead named principal specialist registered qualified "
        "student trainee deputy assistant acting interim "
        "learning disability disabilities day centre school college university church "
        "mum mam mom dad nan nana gran granny grandad grandpa grandma auntie uncle "
        "sir madam god lord christmas easter monday tuesday wednesday thursday friday "
        "saturday sunday january february march april may june july august september "
        "october november december england scotland wales britain great uk united kingdom "
        "northern ireland europe north south east west midlands q1 q2 q3 q4 "
        # Labels on forms and letters: "DOB:", "Tel:", "Postcode".
        "name dob d.o.b address postcode tel telephone phone mobile landline email e-mail "
        "fax no number ref reference patient client date birth next kin contact details"
    )
)
TITLE_CUES = {title.lower() for title in TITLES}
NAME_CUES = re.compile(
    r"(?:\b(?:called|named|name's|name\s+is|name\s+was|known\s+as|calls?\s+(?:him|her|me)"
    r"(?:\s+our)?|call\s+(?:him|her|me)(?:\s+our)?|(?:sur|first\s+|last\s+|family\s+|given\s+"
    r"|fore)?name\s*[:\-])\s*)$",
    re.IGNORECASE,
)
RELATION_CUES = set(RELATIONS) | set(
    _words("son-in-law daughter-in-law grandchild grandchildren child children fella")
)
POSSESSIVES = set(_words("my her his their our your the"))
# Family names people are called by, with or without "my": "nana pat", "auntie sue".
ADDRESSED_AS = set(_words("nana nan nanna gran granny grandad grandma grandpa auntie aunty uncle"))
# "little mason", "big sue": how a child or a friend is known.
NICKNAME_CUES = set(_words("little big wee lil"))
# Words between a name and the relation it is given after it: "lisa my support worker".
ROLE_WORDS = set(_words("support key social care"))
DETERMINERS = set(_words("the a an this that these those my her his their our your its"))
# Verbs whose subject is a person: "Will said", "Rose told me", "Sunny rang".
PERSON_VERBS = set(
    _words(
        "said says told tells rang rings phoned phones asked asks visited visits lives lived "
        "explained shouted cried screamed admitted reported stated described attended arrived "
        "wants wanted agreed refused thinks thought felt feels died passed texted emailed "
        "wrote replied answered complained disclosed apologised apologized"
    )
)
NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety"
)
AGE_AFTER = re.compile(
    r"(?:,\s*(?:aged?\s+)?\d{1,3}\b(?!\s*(?:[/.:\-]\d|am\b|pm\b|%))"
    r"|\s*\(\s*(?:aged?\s*)?\d{1,3}\s*\)"
    r"|,?\s+aged\s+\d{1,3}\b"
    rf"|\s+(?:is|was|'s)\s+(?:only\s+|just\s+|nearly\s+|almost\s+|now\s+)?(?:\d{{1,3}}|{NUMBER_WORDS})\b)",
    re.IGNORECASE,
)
# Particles inside a name: "Nguyen Van Minh", "Dafydd ap Gwyn", "Siobhán Ní Bhriain".
PARTICLES = set(
    _words(
        "van von der den ter de da di du le la ap ab ferch bin bint binti ní nic ó mac mc "
        "al el ben abu"
    )
)
MONTHS_SHORT = set(_words("jan feb mar apr jun jul aug sep sept oct nov dec"))
ARTICLES = set(_words("the a an this that these those"))
PLACE_WORDS = set(_words("in at from to near towards round outside into"))
ORGANISATION_LABELS = {"ORG", "FAC", "GPE", "LOC"}
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
CONTRACTION = re.compile(r"\w+(?:'(?:d|ll|ve|re|m|t)|n't)$")
# "MacLeod", "McAllister", "O'Hara", "Fitzgerald": a surname by its shape.
SURNAME_SHAPE = re.compile(r"(?:Ma?c|O['’]|Fitz)[A-Z][a-z]{2,}$|(?:O['’]|Fitz)[a-z]{3,}$")
# A chunk of text with digits, "@", "/" or "x.y" in it is a code, an address or a postcode.
CODE = re.compile(r"[@/\d_<>=]|\.\w")
SENTENCE_BREAK = re.compile(r"(?:^|[.!?;:\n•*–—\-\"“(]\s*|\n\s*)$")


@dataclass(frozen=True)
class Lists:
    first: frozenset[str]
    surnames: frozenset[str]
    everyday_names: frozenset[str]
    words: frozenset[str]
    capitalised: frozenset[str]
    acronyms: frozenset[str]


@lru_cache(maxsize=1)
def lists() -> Lists:
    """The shipped lists, read once per process."""
    first, surnames, everyday_names = set(), set(), set()
    for line in (DATA / "names.txt").read_text(encoding="utf-8").splitlines():
        name, kinds, *flag = line.split("\t")
        if "F" in kinds:
            first.add(name)
        if "S" in kinds:
            surnames.add(name)
        if flag:
            everyday_names.add(name)
    words = (DATA / "words.txt").read_text(encoding="utf-8").split()
    capitalised, acronyms = set(), set()
    for line in (DATA / "capitalised.txt").read_text(encoding="utf-8").splitlines():
        word, *flag = line.split("\t")
        (acronyms if flag else capitalised).add(word)
    return Lists(
        frozenset(first),
        frozenset(surnames),
        frozenset(everyday_names),
        frozenset(words),
        frozenset(capitalised),
        frozenset(acronyms),
    )


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """Words that never name anyone on their own: redaction's generic words and relations,
    titles and English stop words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(GENERIC_WORDS | set(RELATIONS) | TITLE_CUES | set(STOP_WORDS))


def word_key(word: str) -> str:
    word = word.lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


# What a word is, for names: a known first name, a surname only, a name that is also an
# everyday word, an everyday word, a generic word, or unknown.
FIRST, SURNAME, AMBIGUOUS, EVERYDAY, GENERIC, UNKNOWN = (
    "first",
    "surname",
    "ambiguous",
    "everyday",
    "generic",
    "unknown",
)


@lru_cache(maxsize=100_000)
def kind_of(word: str) -> str:
    """FIRST, SURNAME, AMBIGUOUS, EVERYDAY, GENERIC or UNKNOWN; a hyphenated word by its
    parts ("lloyd-davies" is a surname, "son-in-law" is not a name)."""
    key = word_key(word)
    if key in generic_words():
        return GENERIC
    contraction = CONTRACTION.match(key)
    if contraction:  # "he'd", "won't", "they'll": never a name
        return EVERYDAY
    parts = key.split("-")
    if len(parts) > 1:
        kinds = [kind_of(part) for part in parts]
        if any(kind in (EVERYDAY, GENERIC) for kind in kinds):
            return EVERYDAY
        if kinds[0] == FIRST:
            return FIRST
        if FIRST in kinds or SURNAME in kinds:
            return SURNAME
        return AMBIGUOUS if AMBIGUOUS in kinds else UNKNOWN
    data = lists()
    if key in data.everyday_names:
        return AMBIGUOUS
    if SURNAME_SHAPE.match(word) and key not in data.words:
        return SURNAME
    if key in data.first:
        return FIRST
    if key in data.surnames:
        return SURNAME
    if key in data.words:
        return EVERYDAY
    return UNKNOWN


def is_everyday(word: str) -> bool:
    """Whether a word is an ordinary English word (perhaps also a name)."""
    return kind_of(word) in (AMBIGUOUS, EVERYDAY, GENERIC)


def is_sentence_start(text: str, start: int) -> bool:
    """Whether the word at `start` begins a sentence, a line or a heading."""
    return SENTENCE_BREAK.search(text[max(0, start - 4) : start]) is not None


def next_word(text: str, end: int) -> str:
    match = WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return match.group() if match else ""


def is_person_use(text: str, start: int, end: int) -> bool:
    """Whether an everyday word that is also a name is used as a name here: followed by a
    verb that takes a person ("Will said"), or by an age ("Grace is fourteen")."""
    before = WORD.findall(text[max(0, start - 20) : start])
    if before and before[-1].lower() in DETERMINERS:
        return False
    return next_word(text, end).lower() in PERSON_VERBS or AGE_AFTER.match(text, end) is not None


def is_ordinary_capitalised(text: str, start: int, end: int, following: tuple[str, ...]) -> bool:
    """Whether text[start:end], one word that spaCy took for a name, is an ordinary word
    capitalised because it starts a sentence ("Draft leaflet reviewed", "Frank talks").

    `following` is the part of speech of the next words. A word that is only ever an
    everyday word is one; a name that is also an everyday word is one where it qualifies
    a noun ("Grace periods", "Frank and honest") or where it is mostly an everyday word
    ("Hope is what kept me going"), but not where it is mostly a name ("Jo has been told").
    """
    word = text[start:end]
    if not WORD.fullmatch(word) or not is_sentence_start(text, start):
        return False
    kind = kind_of(word)
    if kind not in (AMBIGUOUS, EVERYDAY) or is_person_use(text, start, end):
        return False
    if kind == EVERYDAY or word_key(word) in lists().words:
        return True
    qualifies = following[:1] in (("NOUN",), ("ADJ",)) or following[:2] == ("CCONJ", "ADJ")
    return qualifies


# ------------------------------------------------------------------------------ recognizer


def find_names(text: str, doc) -> list[tuple[int, int, float]]:
    """(start, end, score) of the names in `text` (already truecased), using the spaCy
    `doc` of the same text for parts of speech and for the organisations it found."""
    words = _plain_words(text)
    if not words:
        return []
    pos = {token.idx: token.pos_ for token in doc}
    inside_entity = bytearray(len(text) + 1)
    for entity in doc.ents:
        # "St Mary's Church", "Kelly Street": spaCy's whole name stands.
        if (
            entity.label_ in ORGANISATION_LABELS
            and len(entity) > 1
            and any(kind_of(token.text) in (EVERYDAY, GENERIC) for token in entity)
        ):
            inside_entity[entity.start_char : entity.end_char] = b"\x01" * len(entity.text)
    places = {entity.start_char for entity in doc.ents if entity.label_ in ("GPE", "LOC", "FAC")}
    kinds = [kind_of(word) for _, _, word in words]
    is_cased = _is_cased(words, kinds)
    found: list[tuple[int, int, float]] = []
    index = 0
    while index < len(words):
        start, end, word = words[index]
        kind = kinds[index]
        score = _name_score(text, words, kinds, index, pos, places, is_cased)
        if score is None and _is_unmarked_possessive(words, kinds, index):
            found.append((start, end - 1, CONTEXT_SCORE))  # "pats daughter" -> "pat"
            index += 1
            continue
        addressed = index > 0 and words[index - 1][2].lower() in ADDRESSED_AS
        if score is None or (inside_entity[start] and not addressed):
            index += 1  # inside spaCy's organisation, unless "nana pat", "auntie rose"
            continue
        last = index
        while last + 1 < len(words) and last - index < 3:
            gap = text[words[last][1] : words[last + 1][0]]
            nxt_word, nxt_kind = words[last + 1][2], kinds[last + 1]
            if gap != " ":
                break
            if nxt_word.lower() in PARTICLES:
                after = _after_particles(text, words, last + 1)
                if after is not None and kinds[after] in (FIRST, SURNAME, UNKNOWN):
                    last = after
                    continue
                break
            if nxt_kind in (FIRST, SURNAME) or (nxt_kind == UNKNOWN and len(nxt_word) > 1):
                last += 1
            elif (
                nxt_kind == AMBIGUOUS
                and word_key(nxt_word) in lists().surnames
                and pos.get(words[last + 1][0], "") in ("PROPN", "NOUN")
                and word_key(nxt_word) not in PERSON_VERBS
            ):
                if is_cased and nxt_word.islower() != word.islower():
                    break
                last += 1
            else:
                break
        is_lone_surname = kind == SURNAME and last == index and score == SURNAME_SCORE
        if is_lone_surname and is_cased and word[:1].isupper():
            index += 1  # a capitalised surname alone: spaCy's call
            continue
        end = words[last][1]
        if word_key(text[start:end]) != text[start:end].lower():
            end -= 2  # "pat's" -> "pat"
        found.append((start, end, score if last == index else max(score, CONTEXT_SCORE - 0.05)))
        index = last + 1
    return found


def _is_cased(words, kinds) -> bool:
    """Whether the text was written with capitals: an ordinary word starts with one
    somewhere ("The", "She"), which truecasing never gives; "I" does not count."""
    return any(
        word[:1].isupper()
        and not word.isupper()
        and kind in (EVERYDAY, GENERIC, AMBIGUOUS)
        and word_key(word) not in ("i", "i'm", "i've", "i'd", "i'll", "mr", "mrs", "ms", "dr")
        for (_, _, word), kind in zip(words, kinds, strict=True)
    )


def _is_unmarked_possessive(words, kinds, index) -> bool:
    """ "its pats daughter": a first name with an "s" and no apostrophe, before a relation."""
    word = words[index][2]
    if not (word.endswith("s") and index + 1 < len(words) and len(word) >= 3):
        return False
    if (
        words[index + 1][2].lower() not in RELATION_CUES
        or words[index + 1][0] != words[index][1] + 1
    ):
        return False
    return word_key(word[:-1]) in lists().first and kinds[index] in (EVERYDAY, UNKNOWN)


def _plain_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) for the words of `text`, leaving out any part of an email, a web
    address, a postcode or a reference ("BD3", "bev.h@example.com")."""
    words = []
    for chunk in re.finditer(r"[^\s—–]+", text):
        if not CODE.search(chunk.group()):
            words += [
                (chunk.start() + m.start(), chunk.start() + m.end(), m.group())
                for m in WORD.finditer(chunk.group())
            ]
    return words


def _name_score(text, words, kinds, index, pos, places, is_cased) -> float | None:
    """How sure we are that words[index] starts a name, or None if it does not."""
    start, end, word = words[index]
    kind = kinds[index]
    if kind == EVERYDAY or len(word) < 2:
        return None
    if word_key(word) in MONTHS_SHORT and re.match(r"[\s\-]?\d", text[end : end + 2]):
        return None  # "Jan 14", "Mar-25": a date
    before = text[max(0, start - 40) : start]
    previous = words[index - 1][2].lower() if index and words[index - 1][1] >= start - 3 else ""
    previous2 = words[index - 2][2].lower() if index >= 2 else ""
    part_of_speech = pos.get(start, "")
    nameable = kind in (FIRST, SURNAME, UNKNOWN) or (
        kind == AMBIGUOUS and part_of_speech in ("PROPN", "NOUN")
    )
    if kind == GENERIC:
        nameable = False
        # "Will said": a first name that is also a stop word, capitalised, before a verb
        # that takes a person.
        key = word_key(word)
        if (
            key in lists().first
            and key not in GENERIC_WORDS
            and key not in RELATION_CUES
            and key not in TITLE_CUES
            and word[:1].isupper()
            and is_person_use(text, start, end)
        ):
            return FIRST_NAME_SCORE
    # A title: "mrs fairclough", "dr okonkwo", "nurse patience".
    is_titled = previous.rstrip(".") in TITLE_CUES and re.search(r"\.?\s+$", before)
    if is_titled and nameable and (kind != UNKNOWN or len(word) >= 3):
        return CONTEXT_SCORE
    # A relation: "my daughter kelly", "her carer joy", "the son-in-law gareth".
    is_related = previous in RELATION_CUES and previous2 in POSSESSIVES
    if is_related and re.search(r",?\s+$", before) and nameable:
        return CONTEXT_SCORE
    # "called tommo", "my name is precious", "SURNAME: OKAFOR".
    if NAME_CUES.search(before) and (
        kind in (FIRST, SURNAME, UNKNOWN)
        or kind == AMBIGUOUS
        and part_of_speech not in ("AUX", "VERB", "ADP", "DET", "PRON")
    ):
        return CONTEXT_SCORE
    if kind == UNKNOWN and _before_surname(text, words, kinds, index):
        return FIRST_NAME_SCORE  # "Morag MacLeod": unknown, then a known surname
    if kind != GENERIC and _named_by_context(text, words, kinds, index, part_of_speech):
        return CONTEXT_SCORE
    if kind in (UNKNOWN, GENERIC):
        return None
    # An age after it: "edna vexcombe, 87", "Kai (aged 4)", "Grace is fourteen".
    following = _after_name(text, words, kinds, index)
    if AGE_AFTER.match(text, following):
        return CONTEXT_SCORE
    is_capitalised = word[:1].isupper() and not word.isupper()
    if previous in ARTICLES:
        return None  # "the warden", "a mason"
    if len(word) == 2 and not word[:1].isupper():
        return None  # "li", "al": a name this short in lower case needs a title or "my son"
    if kind == FIRST:
        if previous in PLACE_WORDS and start in places:
            return None  # "in Chelsea": spaCy's place
        return FIRST_NAME_SCORE
    if kind == SURNAME:
        if is_cased and word.islower():
            return None  # written with capitals, so a lower-case surname is a word
        return SURNAME_SCORE
    # An everyday word that is also a name ("Grace", "Frank", "Rose").
    is_compound = index > 0 and pos.get(words[index - 1][0], "") in ("NOUN", "ADJ")
    if (is_capitalised or not is_cased) and not is_compound and is_person_use(text, start, end):
        return FIRST_NAME_SCORE  # "Will said", not "the car wash said"
    is_first = word_key(word) in lists().first
    if not is_cased and part_of_speech == "PROPN" and is_first and previous not in DETERMINERS:
        return FIRST_NAME_SCORE  # "till dean moved in": spaCy reads a name
    if is_capitalised and is_cased and not is_sentence_start(text, start):
        neighbours = [words[i][2] for i in (index - 1, index + 1) if 0 <= i < len(words)]
        if word_key(word) in lists().first and not any(
            n[:1].isupper() and kind_of(n) in (EVERYDAY, AMBIGUOUS) for n in neighbours
        ):
            return FIRST_NAME_SCORE  # "I told Grace": not "the Ward Manager"
    if index + 1 < len(words) and kinds[index + 1] in (SURNAME, UNKNOWN, FIRST):
        nxt = words[index + 1]
        if kind == AMBIGUOUS and part_of_speech not in ("PROPN", "NOUN"):
            return None  # "said Terry": a verb, not a first name
        same_case = not is_cased or nxt[2][:1].isupper() == is_capitalised
        known_next = kinds[index + 1] != UNKNOWN or is_capitalised
        if text[end : nxt[0]] == " " and same_case and is_first and known_next:
            return FIRST_NAME_SCORE  # "Grace Adeyemi", "sunny dhillon"
    return None


def _after_particles(text, words, index) -> int | None:
    """The index of the word after the particles starting at words[index] ("van der" in
    "Pieter van der Berg", "ap" in "Dafydd ap Gwyn"), if it follows them, capitalised."""
    while index < len(words) and words[index][2].lower() in PARTICLES:
        if index + 1 >= len(words) or text[words[index][1] : words[index + 1][0]] != " ":
            return None
        index += 1
    if index >= len(words) or not words[index][2][:1].isupper():
        return None
    return index


def _named_by_context(text, words, kinds, index, part_of_speech) -> bool:
    """Whether the words around words[index] say it is someone's name: the relation after
    it ("khalid the nephew", "lisa my support worker"), a family name before it ("nana
    pat"), a nickname ("little mason"), or a name it is paired with ("Bill and Edith
    Pollard", "Bill and Edith" when Edith is a known first name)."""
    kind = kinds[index]
    key = word_key(words[index][2])
    previous = words[index - 1][2].lower() if index else ""
    if previous in ADDRESSED_AS and kind in (FIRST, SURNAME, AMBIGUOUS, UNKNOWN):
        # "nana pat", "auntie rose", whatever spaCy makes of the name; not "nan will come"
        return part_of_speech not in ("AUX", "PART", "ADP", "DET", "PRON")
    if kind == AMBIGUOUS and part_of_speech in ("AUX", "VERB", "ADP", "DET", "PRON", "ADV"):
        return False
    if kind == UNKNOWN and len(words[index][2]) < 3:
        return False
    after = [word.lower() for _, _, word in words[index + 1 : index + 4]]
    if len(after) >= 2 and after[0] in POSSESSIVES:
        relation = after[2] if after[1] in ROLE_WORDS and len(after) > 2 else after[1]
        if relation in RELATION_CUES:
            return True
    previous2 = words[index - 2][2].lower() if index >= 2 else ""
    is_first = key in lists().first
    if previous in NICKNAME_CUES and is_first and previous2 not in DETERMINERS:
        return True
    return (
        is_first
        and words[index][2][:1].isupper()
        and len(after) >= 2
        and after[0] in ("and", "&")
        and words[index + 2][2][:1].isupper()
        and word_key(words[index + 2][2]) in lists().first
        and kinds[index + 2] in (FIRST, AMBIGUOUS)
    )


def _before_surname(text, words, kinds, index) -> bool:
    """Whether words[index], capitalised, comes just before a capitalised known surname,
    or before particles and a capitalised name ("Dafydd ap Gwyn")."""
    word, end = words[index][2], words[index][1]
    if not word[:1].isupper() or word.isupper() or index + 1 >= len(words):
        return False
    if words[index + 1][2].lower() in PARTICLES and text[end : words[index + 1][0]] == " ":
        return _after_particles(text, words, index + 1) is not None
    nxt = words[index + 1]
    return (
        kinds[index + 1] == SURNAME
        and text[end : nxt[0]] == " "
        and nxt[2][:1].isupper()
        and not nxt[2].isupper()
    )


def _after_name(text, words, kinds, index) -> int:
    """Where the name starting at words[index] ends, for the age check."""
    last = index
    while (
        last + 1 < len(words)
        and text[words[last][1] : words[last + 1][0]] == " "
        and kinds[last + 1] in (FIRST, SURNAME, UNKNOWN)
        and last - index < 2
    ):
        last += 1
    return words[last][1]


def name_recognizer():
    """The Presidio recognizer for `find_names`, built when the analyzer is."""
    from presidio_analyzer import LocalRecognizer, RecognizerResult

    class NameListRecognizer(LocalRecognizer):
        """Names from the shipped lists and their context, in any case."""

        def __init__(self):
            super().__init__(supported_entities=["PERSON"], name="NameListRecognizer")

        def load(self) -> None:
            lists()

        def analyze(self, text, entities, nlp_artifacts=None):
            if nlp_artifacts is None or "PERSON" not in entities:
                return []
            return [
                RecognizerResult(
                    "PERSON",
                    start,
                    end,
                    score,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
                for start, end, score in find_names(text, nlp_artifacts.tokens)
            ]

    return NameListRecognizer()
