"""Redaction benchmark: how many identifiers stay visible after `redact()`.

The passages below are fictional but written as the service's material is: advocates'
notes, narrators' own words (typed and transcribed), carers' messages, referral and
strategy-meeting notes, staff reflections. Identifiers are marked inline as
«TYPE:text»; `--build` strips the marks, computes each identifier's offsets and writes
benchmarks/data/redaction_eval.jsonl. NHS numbers are written as {nhs}, {nhs:plain},
{nhs:hyphen} or {nhs:loose} and replaced by generated numbers with a valid modulus-11
check digit (fixed seed). Phone numbers are in Ofcom's ranges for drama (not in service).

How identifiers are labelled (decided before the system was run on them):
- PERSON: the name without a title ("Mrs «PERSON:Jean Doyle»"), every mention.
- PLACE: towns, districts, villages, wards; not countries or the UK's nations.
- ORGANISATION: named care homes, hospitals, surgeries, schools, employers, local bodies.
  National or generic bodies ("the police", "the council", "the Safeguarding Adults
  Board", "Language Line") are not identifiers.
- ADDRESS: house or flat number and street, or a named building or street.
- DATE_OF_BIRTH: the date (or birth year) itself, without "born on" or "DOB".
- Other dates (meetings, admissions) are not identifiers.

Scoring, per identifier type:
- recall: labelled identifiers whose letters and digits are all covered by a placeholder
  (of any type: what matters is that nothing is left to read); "same type" also needs
  the placeholder's type to agree.
- precision: placeholders (by their type) that overlap a labelled identifier.
- visible: the share of identifier letters and digits left readable.
- over-redacted: the share of replaced letters and digits that were not identifiers.

Five sets are reported apart: the main set (PASSAGES) and a held-out set (HELD_OUT, see
there), in data/redaction_eval.jsonl; and the name sets (redaction_names_passages.py: names
in lower case, in capitals and in transcribed speech, and ordinary words that are also
names), a tuning part, a held-out part (whose misses have since been read) and a fresh part
written before the changes that followed, in data/redaction_names_eval.jsonl. The name
sets also mark ordinary words to keep («KEEP:Draft»): "wrongly hidden" is the share of them
with any letter under a placeholder.

Throughput: words per CPU second of this process, pinned to one core, on the chosen sets'
passages repeated to --words words (batched, as the board's page does) and joined into one
document of as many words (as the evidence pack does with a quarter).

The exit status is 1 when a target is not met on a set that was run.

Run:  .venv/bin/python benchmarks/redaction.py            (every set, then throughput)
      .venv/bin/python benchmarks/redaction.py --set main,held_out,names_tuning
      .venv/bin/python benchmarks/redaction.py --build    (writes the .jsonl files)
"""

from __future__ import annotations

import os

# One thread for any numeric library spaCy loads: throughput is per core.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import redaction_names_passages as names  # noqa: E402

DATA = HERE / "data" / "redaction_eval.jsonl"
NAMES_DATA = HERE / "data" / "redaction_names_eval.jsonl"
SEED = 2026
NAMES_SEED = 2027
SETS = {
    "main": "Main set",
    "held_out": "Held-out set",
    "names_tuning": "Name set, tuning part",
    "names_held_out": "Name set, held-out part (looked at since, see FRESH)",
    "names_fresh": "Name set, fresh part (written before the latest changes; never tuned on)",
}

TYPES = (
    "PERSON",
    "PLACE",
    "ORGANISATION",
    "ADDRESS",
    "POSTCODE",
    "PHONE",
    "EMAIL",
    "NHS_NUMBER",
    "DATE_OF_BIRTH",
    "CASE_REFERENCE",
)
TARGETS = {
    "NHS_NUMBER": 1.00,
    "EMAIL": 1.00,
    "POSTCODE": 1.00,
    "PHONE": 1.00,
    "DATE_OF_BIRTH": 1.00,
    "PERSON": 0.97,
}
KEEP_TARGET = 0.02  # ordinary words wrongly hidden, at most

PASSAGES = [
    # 1 advocate's note
    "I met «PERSON:Jean Doyle» at her home, «ADDRESS:14 Mill Lane», «PLACE:Harrogate» "
    "«POSTCODE:HG1 5AB», on Tuesday afternoon. «PERSON:Jean» told me her nephew «PERSON:Craig» "
    "had been taking money out of her pension for months. She did not want the police "
    "involved at first, but she did want it to stop.",
    # 2 referral
    "Referral received from «PERSON:Sam Okafor» (social worker) regarding Mr "
    "«PERSON:Derek Hollis», DOB «DATE_OF_BIRTH:12/04/1939», NHS number «NHS_NUMBER:{nhs}». "
    "Lives alone at "
    "«ADDRESS:Flat 3, Kestrel Court, 41 Beeston Road», «PLACE:Leeds» «POSTCODE:LS11 8QT». "
    "Mr «PERSON:Hollis» has capacity and has asked that his daughter is not contacted.",
    # 3 narrator, transcribed
    "Narrator: I was born in «PLACE:Bradford» in «DATE_OF_BIRTH:1947» and I've lived round here "
    "all my life. When «PERSON:Tony» died I didn't know who to ring. My daughter "
    "«PERSON:Kelly-Ann» rang the council in the end and they sent someone out, a young lad, "
    "he was nice enough but he didn't really listen.",
    # 4 strategy meeting
    "Case «CASE_REFERENCE:SG-2025-0143». Strategy meeting held by video. Present: DS "
    "«PERSON:Mark Reilly» (police), «PERSON:Priya Shah» (adult social care), «PERSON:Helen Barker» "
    "(ward manager, «PLACE:Ward 7», «ORGANISATION:St James's Hospital»). Agreed that the "
    "social worker will visit within two working days.",
    # 5 carer
    "My husband «PERSON:Geoff» has dementia. The carers from «ORGANISATION:Brightside Home Care» "
    "were supposed to come four times a day but some mornings nobody came until eleven and "
    "he'd be sat there wet. You can ring me on «PHONE:07700 900461» if you need anything else.",
    # 6 contact details
    "She asked that any letters go to her son instead: «PERSON:Martin Lowe», "
    "«EMAIL:martin.lowe72@example.com», «PHONE:0113 496 0278». She does not want the GP "
    "to share anything with her ex-husband.",
    # 7 narrator
    "They moved me to «ORGANISATION:Oakwood Lodge» without asking me. Nobody told me what was "
    "happening. I felt like a parcel being passed about. The manager, Mrs «PERSON:Patel», was "
    "kind, I'll say that, but it wasn't her decision.",
    # 8 admission note
    "Mrs «PERSON:Agnes McBride» (date of birth «DATE_OF_BIRTH:21 June 1934»), NHS no. "
    "«NHS_NUMBER:{nhs:plain}», was admitted on 3 May 2025 after a fall at home. The ambulance "
    "crew raised a concern about bruising to both forearms.",
    # 9 reflection, no identifiers
    "The team talked about how we ask people what they want before we act. The police and "
    "the council both said they would share information sooner. The social worker agreed to "
    "visit within two days and the GP will review the medication.",
    # 10 change of address
    "Her new address is «ADDRESS:27 Chapel Street», «PLACE:Otley», «POSTCODE:ls21 3ab». "
    "Landline «PHONE:01632 960183», no mobile.",
    # 11 family abroad
    "Her brother «PERSON:Pawel Nowak» lives in «PLACE:Gdansk» and can be reached on "
    "«PHONE:+44 7700 900982» when he is working in England.",
    # 12 named nurse
    "Contact the named nurse, «PERSON:Grace Adeyemi», at «EMAIL:grace.adeyemi@example.nhs.uk» "
    "or on «PHONE:020 7946 0321» ext 4.",
    # 13 transcript
    "Facilitator: And what happened next?\n\nNarrator: Well, erm, «PERSON:Dave» from next door, "
    "he'd been coming in, like, helping with the shopping, and then he started asking for my "
    "bank card. I gave him the PIN. I know. I know I shouldn't have.",
    # 14 think family
    "Think Family: her grandson «PERSON:Tyler» (aged 9) stays at weekends and attends "
    "«ORGANISATION:Holy Trinity Primary». His mum, «PERSON:Chantelle Briggs», works nights at "
    "the supermarket in «PLACE:Killingbeck».",
    # 15 DoLS
    "A DoLS authorisation was in place at «ORGANISATION:Meadowbank Nursing Home». The best "
    "interests assessor, «PERSON:Ruth Ellison», met Mr «PERSON:Singh» and his son "
    "«PERSON:Harjit» on the unit.",
    # 16 financial abuse
    "The bank flagged six transfers to an account in the name of «PERSON:L. Marsh». "
    "Mrs «PERSON:Turner» said she had never heard of «PERSON:L. Marsh» and did not know how "
    "anyone had got her details.",
    # 17 dates of birth in other forms
    "Client D.O.B. «DATE_OF_BIRTH:07.11.1952». Partner «PERSON:Steven Clegg», born "
    "«DATE_OF_BIRTH:1960-02-29», is his main carer.",
    # 18 hyphenated NHS number
    "Please quote NHS: «NHS_NUMBER:{nhs:hyphen}» on all correspondence about Mr «PERSON:Iqbal».",
    # 19 staff reflection
    "I should have asked «PERSON:Margaret» what she wanted, not what her son wanted. "
    "«PERSON:Margaret» was clear in the end: she wanted to stay on «ADDRESS:Rosehill Gardens» "
    "with her cat.",
    # 20 two case references
    "Following «CASE_REFERENCE:SG-2024-0987» the board asked for assurance that the learning "
    "had been embedded; «CASE_REFERENCE:ASC-2025-10234» was opened for the same address.",
    # 21 board paper, no identifiers
    "Learning from this case was shared at the Safeguarding Adults Board and at the quality "
    "committee in March. Three changes in practice were agreed and will be audited in Q4.",
    # 22 domestic abuse
    "«PERSON:Rose» said «PERSON:Will» had never hit her, but the neighbour at "
    "«ADDRESS:Ivy Cottage» heard shouting most nights and rang the police twice.",
    # 23 interpreter
    "«PERSON:Abdi Warsame» speaks Somali; an interpreter from Language Line joined by phone. "
    "«PERSON:Abdi» said he wanted his cousin present next time.",
    # 24 phones without spaces and with brackets
    "Her mobile is «PHONE:07700900127» and her daughter's is «PHONE:(0161) 496 0724».",
    # 25 police attendance
    "PC «PERSON:Joanne Fairweather» from «ORGANISATION:West Yorkshire Police» attended and "
    "spoke to Mrs «PERSON:Akhtar» alone, with the door closed.",
    # 26 self-neglect
    "Mr «PERSON:Barry Nuttall», 68, of «ADDRESS:112 Town Street», «PLACE:Armley», refused "
    "entry to the environmental health officer. The hoarding now blocks the back door.",
    # 27 narrator
    "«PERSON:Eileen» told me «PERSON:Frank» had always had a temper but it got worse after his "
    "stroke. She said, I'm not leaving him, I just want someone to come in.",
    # 28 discharge
    "He was discharged from «PLACE:Ward 12» at «ORGANISATION:Pinderfields Hospital» at 9pm "
    "with no package of care and no key to get in.",
    # 29 carer's email
    "Email me at «EMAIL:SUE.HARGREAVES@EXAMPLE.ORG» please, not my work address. It's "
    "«PERSON:Sue», «PERSON:Dennis»'s sister.",
    # 30 advocacy
    "Spoke to «PERSON:Kwame Mensah» (advocate, «ORGANISATION:Advocacy Together Leeds») who "
    "will support Miss «PERSON:Jarvis» at the next meeting.",
    # 31 narrator
    "When I was in «ORGANISATION:Highroyds» they took my clothes. That was years ago. Now "
    "it's just the money, and nobody believes me about the money either.",
    # 32 date of birth in words
    "She was born on the «DATE_OF_BIRTH:3rd of March 1948» and has lived in «PLACE:Wakefield» "
    "since she married.",
    # 33 dates and numbers that are not identifiers
    "The meeting on 14 May 2025 agreed three actions; the review is due on 30/06/2025. "
    "Twelve staff attended and 85% said the session was useful.",
    # 34 NHS number without the word NHS
    "Number on the hospital letter: «NHS_NUMBER:{nhs}». The letter was addressed to "
    "«PERSON:Mary Costello».",
    # 35 GP concern
    "Section 42 enquiry «CASE_REFERENCE:SG-2025-0211» opened. Concern raised by Dr "
    "«PERSON:Olu Bankole», GP at «ORGANISATION:Chapeltown Health Centre», «PHONE:0113 496 0914».",
    # 36 modern slavery
    "Two men were found living in a caravan behind «ADDRESS:Unit 4, Canal Wharf». One gave "
    "his name as «PERSON:Ion» and said he came from «PLACE:Iasi» two years ago.",
    # 37 online abuse
    "He was sending her messages from «EMAIL:lonewolf_1975@example.net» at all hours, then "
    "turning up outside the flat.",
    # 38 postcode without a space
    "Postcode «POSTCODE:BD71DP». The flat is above the launderette.",
    # 39 discriminatory abuse
    "Staff at «ORGANISATION:Fern House» called Mr «PERSON:Chowdhury» names and laughed at his "
    "accent. He did not complain because he thought he would be moved again.",
    # 40 group reflection
    "«PERSON:Lucy» (staff nurse) said she felt she had been 'doing to' «PERSON:Peter» rather "
    "than working with him. Others agreed that the risk assessment had been written about "
    "«PERSON:Peter», not with him.",
    # 41 international phone with (0)
    "Son works away; his number is «PHONE:+44 (0)113 496 0550».",
    # 42 family contact
    "Her daughter «PERSON:Siobhan O'Neill» lives in «PLACE:Dublin» and rings every Sunday. "
    "DOB «DATE_OF_BIRTH:02/09/1950». «PERSON:Siobhan» has lasting power of attorney for health "
    "and welfare.",
    # 43 advocate introducing themselves
    "I'm «PERSON:Nadia Rahman», the independent advocate from «ORGANISATION:Calder Advocacy "
    "Partnership». I supported Mr «PERSON:Evans»' narrative over three sittings.",
    # 44 carer's text message, typed on a phone
    "hi its «PERSON:pat»s daughter, mum is at «ADDRESS:9 lime grove» now not the old place, "
    "call me on «PHONE:07700 900 735» if the social worker needs anything",
    # 45 a longer narrative in paragraphs
    "Narrator: My name's «PERSON:Brenda Walsh» and I was born «DATE_OF_BIRTH:1 April 1941», "
    "so I'm no spring chicken.\n\n"
    "After «PERSON:Ken» went into «ORGANISATION:Elmfield House» I was on my own in the "
    "bungalow on «ADDRESS:Sunnybank Avenue». A man came round saying he was from the water "
    "board. He wasn't.\n\n"
    "My grandson «PERSON:Jordan» sorted it all out with the bank. The police were good, I'll "
    "give them that. The lady from the council, Mrs «PERSON:Okoro», came twice.",
    # 46 loose NHS number and email in a note
    "Old records show NHS no «NHS_NUMBER:{nhs:loose}» and an email for the family, "
    "«EMAIL:the.hendersons@example.co.uk».",
    # 47 phone in another area code, with hyphens
    "Out-of-hours team contacted on «PHONE:0114-496-0863»; Mrs «PERSON:Kowalski» was "
    "reassured and agreed to a visit in the morning.",
    # 48 birthday context with a date
    "Her date of birth is «DATE_OF_BIRTH:14 February 1937», and she wanted it written down "
    "that she had lived in «PLACE:Hunslet» all her married life.",
    # 49 referral form pasted in
    "Name: «PERSON:Dorothy Pickles»\nDOB: «DATE_OF_BIRTH:5/1/45»\nNHS No: «NHS_NUMBER:{nhs}»\n"
    "Address: «ADDRESS:8 Saville Close», «PLACE:Wakefield» «POSTCODE:WF1 3HZ»\n"
    "Tel: «PHONE:01632 960 312»\nNext of kin: «PERSON:Alan Pickles» (son), "
    "«EMAIL:alan.pickles@example.com»",
    # 50 discharge letter excerpt
    "Patient: Mr «PERSON:Robert Fenwick», born «DATE_OF_BIRTH:23rd September 1956», of "
    "«ADDRESS:Flat 12, Marlowe House», «PLACE:Manchester» «POSTCODE:M14 5RB». NHS Number "
    "«NHS_NUMBER:{nhs:plain}». Ward: «PLACE:Ward 30».",
    # 51 safeguarding concern by email
    "Concern raised by «PERSON:Tom Harding» («EMAIL:tom.harding@example.org.uk», "
    "«PHONE:029 2018 0467») about his neighbour, Mrs «PERSON:Lloyd», at «ADDRESS:3 Heol Y Nant», "
    "«PLACE:Cardiff» «POSTCODE:CF14 6HE».",
    # 52 narrator on the phone numbers she was given
    "They gave me a number, «PHONE:0121 496 0091», and then another one, «PHONE:03069 990488», "
    "and nobody answered either of them. In the end I rang the police.",
    # 53 staff note with DOB and postcode in lower case
    "Visited «PERSON:Ahmed Karim» (d.o.b «DATE_OF_BIRTH:17/08/1949») at «ADDRESS:56 Fir Tree "
    "Road», «POSTCODE:s10 2tn». Daughter-in-law «PERSON:Yasmin» present throughout.",
    # 54 narrator giving her birthday
    "My birthday's the «DATE_OF_BIRTH:9th of December», I'll be ninety. «PERSON:Hilda» from the "
    "church is doing me a cake.",
    # 55 strategy meeting actions
    "Action: «PERSON:Jo Whitaker» to write to Mr «PERSON:Tanaka»'s landlord at "
    "«ADDRESS:22 Lendal Court», «PLACE:York» «POSTCODE:YO24 4BA», by Friday. Case "
    "«CASE_REFERENCE:SG-2025-0307».",
    # 56 mixed record
    "Mobile «PHONE:+447700900514», NHS number «NHS_NUMBER:{nhs:hyphen}», date of birth "
    "«DATE_OF_BIRTH:30 Nov 1961». Prefers to be called «PERSON:Bev».",
]

# Written after the first run on PASSAGES, before any change that run prompted, and not
# run until those changes were made: figures on text the recognizers were not adjusted to.
HELD_OUT = [
    # h01 advocate's note, Scottish names
    "Met «PERSON:Morag MacLeod» and her son «PERSON:Callum» at «ADDRESS:16 Craigmount Brae», "
    "«PLACE:Edinburgh» «POSTCODE:EH12 8XF». «PERSON:Morag» wants the visits from "
    "«PERSON:Fraser» to stop but does not want him in trouble.",
    # h02 referral with a hyphenated surname
    "Referrer: «PERSON:Amanda Pryce-Jones», district nurse. Patient «PERSON:Stanley Boothroyd», "
    "D.O.B «DATE_OF_BIRTH:30/10/1931», NHS «NHS_NUMBER:{nhs}», tel «PHONE:07700-900-218».",
    # h03 narrator, transcribed
    "Narrator: I'd been at «ORGANISATION:Ashfield Surgery» since I was a girl, and Dr "
    "«PERSON:Mahmood» knew me, he knew «PERSON:Bernard» an' all. Then they shut it and "
    "nobody at the new place knew us from Adam.",
    # h04 strategy meeting
    "Attendees: «PERSON:Claire Dunmore» (chair), DC «PERSON:Rhys Bevan», «PERSON:Femi Adebayo» "
    "(housing), «PERSON:Oksana Kovalenko» (interpreter). Ref «CASE_REFERENCE:SG-2026-0019».",
    # h05 carer's message
    "its «PERSON:Darren» again, dad fell last night and the carers never rang me, my number "
    "is «PHONE:07700 900 641» not the old one",
    # h06 financial abuse with email
    "She received emails from «EMAIL:support@secure-banking-help.example» telling her to move "
    "her savings. Her grandson «PERSON:Kieran Walsh» («EMAIL:kieran.w@example.co.uk») spotted it.",
    # h07 discharge
    "Discharged from «ORGANISATION:Leeds General Infirmary» to «ORGANISATION:Beechwood Court "
    "Care Home», «PLACE:Horsforth». Mrs «PERSON:Greenwood»'s daughter was not told.",
    # h08 DOB in other wording
    "He gave his date of birth as the «DATE_OF_BIRTH:fourth of July 1944» but the records "
    "say «DATE_OF_BIRTH:04/07/1943».",
    # h09 board summary, no identifiers
    "In Q3 the service heard four narratives. Staff reflected on choice and control, and the "
    "learning was shared with the board, the local authority and the police.",
    # h10 two phones and a postcode
    "Home «PHONE:0115 496 0743», work «PHONE:+44(0)20 7946 0115». Postcode «POSTCODE:NG7 2RD».",
    # h11 modern slavery
    "«PERSON:Mihai Popescu» and «PERSON:Andrei» worked at «ORGANISATION:Sparkle Hand Car Wash» "
    "on «ADDRESS:Dewsbury Road» and slept in the unit behind it.",
    # h12 group reflection
    "«PERSON:Bethany» said the form made her ask Mr «PERSON:Qureshi» about risk before she "
    "asked what mattered to him.",
    # h13 narrator's neighbour
    "The lad from «ADDRESS:23 Holmfield Road» used to do my bins. «PERSON:Jayden», his name "
    "is. Then he started coming in without knocking.",
    # h14 NHS number with spaces and a case reference
    "Linked records: «CASE_REFERENCE:ASC-2026-00412», NHS number «NHS_NUMBER:{nhs:loose}».",
    # h15 dates that are not dates of birth
    "Seen on 2 February 2026 and again on 16/02/2026; next review 1 April 2026.",
    # h16 a place and a school
    "Her granddaughter «PERSON:Ellie-Mae» goes to «ORGANISATION:Westfield Academy» in "
    "«PLACE:Castleford» and stays over on Fridays.",
]

MARK = re.compile(r"«([A-Z_]+):([^»]*)»")
NHS_TOKEN = re.compile(r"\{nhs(?::(plain|hyphen|loose))?\}")


def nhs_numbers(seed: int):
    """Endless valid NHS numbers: nine digits, then the modulus-11 check digit."""
    rng = random.Random(seed)
    while True:
        digits = [rng.choice((4, 6, 7))] + [rng.randrange(10) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        if check == 10:
            continue
        yield "".join(map(str, digits)) + str(0 if check == 11 else check)


def _format_nhs(number: str, style: str | None) -> str:
    a, b, c = number[:3], number[3:6], number[6:]
    if style == "plain":
        return number
    if style == "hyphen":
        return f"{a}-{b}-{c}"
    if style == "loose":
        return f"{a}  {b} {c}"
    return f"{a} {b} {c}"


def _strip_marks(source: str, label: str) -> dict:
    """The text without its «TYPE:text» marks; identifiers and words to keep with offsets."""
    text, entities, keep, position, length = [], [], [], 0, 0
    for match in MARK.finditer(source):
        before = source[position : match.start()]
        text.append(before)
        length += len(before)
        kind, value = match.group(1), match.group(2)
        if kind != "KEEP" and kind not in TYPES:
            raise SystemExit(f"passage {label}: unknown type {kind}")
        (keep if kind == "KEEP" else entities).append(
            {"type": kind, "start": length, "end": length + len(value)}
        )
        text.append(value)
        length += len(value)
        position = match.end()
    text.append(source[position:])
    plain = "".join(text)
    if "«" in plain or "»" in plain:
        raise SystemExit(f"passage {label}: an unclosed mark")
    for entity in entities + keep:
        entity["text"] = plain[entity["start"] : entity["end"]]
    for entity in keep:
        del entity["type"]
    return {"text": plain, "entities": entities, "keep": keep}


def _build(sources: list[tuple[str, str, str]], seed: int, *, with_keep: bool) -> list[dict]:
    numbers = nhs_numbers(seed)
    items = []
    counters = Counter()
    for prefix, group, source in sources:
        counters[prefix] += 1
        label = f"{prefix}{counters[prefix]:02d}"
        source = NHS_TOKEN.sub(lambda m: _format_nhs(next(numbers), m.group(1)), source)
        item = {"id": label, "set": group, **_strip_marks(source, label)}
        if not with_keep:
            if item["keep"]:
                raise SystemExit(f"passage {label}: KEEP marks belong in the name sets")
            del item["keep"]
        items.append(item)
    return items


def build_items() -> list[dict]:
    """The main and held-out sets: the marks stripped, each identifier's type and offsets."""
    sources = [("p", "main", s) for s in PASSAGES] + [("h", "held_out", s) for s in HELD_OUT]
    return _build(sources, SEED, with_keep=False)


def build_name_items() -> list[dict]:
    """The name sets, with the ordinary words to keep."""
    sources = [("n", "names_tuning", s) for s in names.TUNING]
    sources += [("m", "names_held_out", s) for s in names.HELD_OUT]
    sources += [("f", "names_fresh", s) for s in names.FRESH]
    return _build(sources, NAMES_SEED, with_keep=True)


def write_data(path: Path, items: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")


def read_data(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _letters(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if text[i].isalnum()}


def score(items: list[dict], predictions: list[list]) -> dict:
    found = Counter()  # gold type -> identifiers fully covered
    found_same = Counter()  # ... by a placeholder of the same type
    gold_count = Counter()
    predicted = Counter()  # predicted type -> placeholders
    correct = Counter()  # ... that overlap an identifier
    visible = hidden = 0
    redacted_letters = wrong_letters = 0
    misses: list[str] = []
    extras: list[str] = []
    keep_total = 0
    hidden_keep: list[str] = []
    for item, entities in zip(items, predictions, strict=True):
        text = item["text"]
        covered: set[int] = set()
        covered_by: dict[str, set[int]] = defaultdict(set)
        for entity in entities:
            letters = _letters(text, entity.start, entity.end)
            covered |= letters
            covered_by[entity.type] |= letters
        gold_letters: set[int] = set()
        for gold in item["entities"]:
            letters = _letters(text, gold["start"], gold["end"])
            gold_letters |= letters
            gold_count[gold["type"]] += 1
            if letters <= covered:
                found[gold["type"]] += 1
            else:
                misses.append(f"{item['id']} {gold['type']}: {gold['text']!r}")
            if letters <= covered_by[gold["type"]]:
                found_same[gold["type"]] += 1
            visible += len(letters - covered)
            hidden += len(letters & covered)
        for entity in entities:
            predicted[entity.type] += 1
            if _letters(text, entity.start, entity.end) & gold_letters:
                correct[entity.type] += 1
            else:
                extras.append(f"{item['id']} {entity.type}: {entity.text!r}")
        redacted_letters += len(covered)
        wrong_letters += len(covered - gold_letters)
        for word in item.get("keep", []):
            keep_total += 1
            if _letters(text, word["start"], word["end"]) & covered:
                hidden_keep.append(f"{item['id']}: {word['text']!r}")
    return {
        "keep_total": keep_total,
        "hidden_keep": hidden_keep,
        "found": found,
        "found_same": found_same,
        "gold": gold_count,
        "predicted": predicted,
        "correct": correct,
        "visible_share": visible / max(1, visible + hidden),
        "over_share": wrong_letters / max(1, redacted_letters),
        "misses": misses,
        "extras": extras,
    }


def _ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "  - "


def report(figures: dict, *, seconds: float, words: int, passages: int, show: bool) -> bool:
    print(f"{passages} passages, {words:,} words, {sum(figures['gold'].values())} identifiers")
    print(
        f"{'type':<15}{'labelled':>9}{'recall':>8}{'same type':>11}{'placed':>8}{'precision':>11}"
    )
    for kind in TYPES:
        gold = figures["gold"][kind]
        print(
            f"{kind:<15}{gold:>9}{_ratio(figures['found'][kind], gold):>8}"
            f"{_ratio(figures['found_same'][kind], gold):>11}"
            f"{figures['predicted'][kind]:>8}"
            f"{_ratio(figures['correct'][kind], figures['predicted'][kind]):>11}"
        )
    gold_total = sum(figures["gold"].values())
    predicted_total = sum(figures["predicted"].values())
    print(
        f"{'all':<15}{gold_total:>9}{_ratio(sum(figures['found'].values()), gold_total):>8}"
        f"{_ratio(sum(figures['found_same'].values()), gold_total):>11}"
        f"{predicted_total:>8}"
        f"{_ratio(sum(figures['correct'].values()), predicted_total):>11}"
    )
    print(f"identifier characters left visible: {figures['visible_share']:.1%}")
    print(f"replaced characters that were not identifiers: {figures['over_share']:.1%}")
    keep_total = figures["keep_total"]
    keep_hidden = len(figures["hidden_keep"])
    if keep_total:
        print(
            f"ordinary words wrongly hidden: {keep_hidden} of {keep_total} labelled "
            f"({keep_hidden / keep_total:.1%})"
        )
    print(f"time: {seconds:.1f} s for {passages} passages (model loaded before timing)")
    print("targets:")
    all_met = True
    for kind, target in TARGETS.items():
        gold = figures["gold"][kind]
        if not gold:
            continue
        recall = figures["found"][kind] / gold
        met = recall >= target
        all_met &= met
        print(f"  {kind:<15} recall >= {target:.2f}  {recall:.2f}  {'MET' if met else 'NOT MET'}")
    if keep_total:
        share = keep_hidden / keep_total
        met = share <= KEEP_TARGET
        all_met &= met
        print(
            f"  {'KEEP':<15} hidden <= {KEEP_TARGET:.0%}    {share:.1%}  "
            f"{'MET' if met else 'NOT MET'}"
        )
    if show:
        print("left visible:")
        for line in figures["misses"]:
            print(f"  {line}")
        print("replaced but not labelled:")
        for line in figures["extras"]:
            print(f"  {line}")
        if keep_total:
            print("ordinary words hidden:")
            for line in figures["hidden_keep"]:
                print(f"  {line}")
    return all_met


def _words(text: str) -> int:
    return len(text.split())


def throughput(texts: list[str], target_words: int) -> None:
    """Words per CPU second: passages batched, and the same words as one document."""
    from narrative_service.redaction.engine import redact_many

    core = 0 if 0 in os.sched_getaffinity(0) else min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    batch: list[str] = []
    while sum(map(_words, batch)) < target_words:
        batch.extend(texts)
    document = "\n\n".join(batch)
    print(f"== Throughput (pinned to core {core}, OMP_NUM_THREADS=1) ==")
    print(f"{'run':<40}{'words':>9}{'wall s':>8}{'CPU s':>7}{'words/CPU s':>13}")
    for name, job in (
        (f"{len(batch):,} passages, batched", batch),
        (f"one document, {len(document):,} characters", [document]),
    ):
        wall, cpu = time.perf_counter(), time.process_time()
        redact_many(job)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        count = sum(map(_words, job))
        print(f"{name:<40}{count:>9,}{wall:>8.1f}{cpu:>7.1f}{count / cpu:>13,.0f}")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="Write the .jsonl files.")
    parser.add_argument("--show", action="store_true", help="List misses and extra placeholders.")
    parser.add_argument(
        "--set",
        default=",".join(SETS),
        help=f"Which sets, comma-separated, reported apart: {', '.join(SETS)} (default: all).",
    )
    parser.add_argument(
        "--words", type=int, default=20_000, help="Words for the throughput runs (0: none)."
    )
    args = parser.parse_args()
    if args.build:
        for path, items in ((DATA, build_items()), (NAMES_DATA, build_name_items())):
            write_data(path, items)
            count = sum(len(item["entities"]) for item in items)
            keep = sum(len(item.get("keep", [])) for item in items)
            print(
                f"Wrote {len(items)} passages, {count} identifiers, {keep} words to keep, "
                f"to {path.relative_to(ROOT)}"
            )
        return 0
    chosen_sets = [name.strip() for name in args.set.split(",") if name.strip()]
    unknown = [name for name in chosen_sets if name not in SETS]
    if unknown:
        parser.error(f"unknown set {', '.join(unknown)}: choose from {', '.join(SETS)}")
    items = read_data(DATA) + read_data(NAMES_DATA)
    if items != build_items() + build_name_items():
        print("A .jsonl differs from the passages in the scripts: run with --build.")
        return 2

    sys.path.insert(0, str(ROOT))
    from narrative_service.redaction.engine import redact

    redact("Warm-up: the model loads once.")
    all_met = True
    texts = []
    for group in chosen_sets:
        chosen = [item for item in items if item["set"] == group]
        texts += [item["text"] for item in chosen]
        started = time.perf_counter()
        predictions = [redact(item["text"]).entities for item in chosen]
        seconds = time.perf_counter() - started
        print(f"== {SETS[group]} ({group}) ==")
        figures = score(chosen, predictions)
        all_met &= report(
            figures,
            seconds=seconds,
            words=sum(_words(item["text"]) for item in chosen),
            passages=len(chosen),
            show=args.show,
        )
        print()
    if args.words and texts:
        throughput(texts, args.words)
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
