"""Redaction: every kind of identifier, the record's deny list, consistent placeholders,
what is left alone, no network, awkward input, and the `redact` command."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

from narrative_service.errors import DomainError
from narrative_service.narratives.anonymising import deny_list_for_narrative
from narrative_service.redaction import engine as redaction
from narrative_service.redaction import recognizers, truecasing
from narrative_service.redaction.cli import redact as redact_command
from narrative_service.redaction.engine import (
    DenyList,
    occurrences,
    redact,
    render,
)
from tests.factories import make_narrative, make_user


def found(text: str, **options) -> set[tuple[str, str]]:
    return {(entity.type, entity.text) for entity in redact(text, **options).entities}


@pytest.mark.parametrize(
    ("text", "kind", "wording"),
    [
        ("I met Jean Doyle at her home on Tuesday.", "PERSON", "Jean Doyle"),
        ("The manager, Mrs Patel, was kind.", "PERSON", "Patel"),
        ("My son Darren rang the council.", "PERSON", "Darren"),
        ("She has lived in Wakefield since she married.", "PLACE", "Wakefield"),
        ("He was discharged from Ward 12 late at night.", "PLACE", "Ward 12"),
        ("They moved me to Oakwood Lodge without asking.", "ORGANISATION", "Oakwood Lodge"),
        ("Seen at St James's Hospital by the ward manager.", "ORGANISATION", "St James's Hospital"),
        ("NHS number 943 476 5919 on the letter.", "NHS_NUMBER", "943 476 5919"),
        ("NHS no. 9434765919 on the letter.", "NHS_NUMBER", "9434765919"),
        ("Please quote 943-476-5919 on all letters.", "NHS_NUMBER", "943-476-5919"),
        ("DOB 12/04/1939, lives alone.", "DATE_OF_BIRTH", "12/04/1939"),
        ("She was born on the 3rd of March 1948.", "DATE_OF_BIRTH", "3rd of March 1948"),
        ("Date of birth: 1960-02-29.", "DATE_OF_BIRTH", "1960-02-29"),
        ("I was born in Bradford in 1947.", "DATE_OF_BIRTH", "1947"),
        ("Born on the fourth of July 1944.", "DATE_OF_BIRTH", "fourth of July 1944"),
        ("Ring me on 07700 900461 any time.", "PHONE", "07700 900461"),
        ("Landline 0113 496 0278, no mobile.", "PHONE", "0113 496 0278"),
        ("His number is +44 (0)113 496 0550.", "PHONE", "+44 (0)113 496 0550"),
        ("Her daughter's is (0161) 496 0724.", "PHONE", "(0161) 496 0724"),
        ("Out of hours: 0114-496-0863.", "PHONE", "0114-496-0863"),
        ("Write to martin.lowe72@example.com please.", "EMAIL", "martin.lowe72@example.com"),
        ("Or grace.adeyemi@example.nhs.uk for the nurse.", "EMAIL", "grace.adeyemi@example.nhs.uk"),
        ("Messages from help@secure-bank.example daily.", "EMAIL", "help@secure-bank.example"),
        ("She lives at 14 Mill Lane now.", "ADDRESS", "14 Mill Lane"),
        ("Her flat is at 16 Craigmount Brae.", "ADDRESS", "16 Craigmount Brae"),
        ("A neighbour at 3 Heol y Nant rang.", "ADDRESS", "3 Heol y Nant"),
        ("mum is at 9 lime grove now", "ADDRESS", "9 lime grove"),
        (
            "Flat 3, Kestrel Court, 41 Beeston Road.",
            "ADDRESS",
            "Flat 3, Kestrel Court, 41 Beeston Road",
        ),
        ("Postcode HG1 5AB.", "POSTCODE", "HG1 5AB"),
        ("Postcode bd71dp, typed in a hurry.", "POSTCODE", "bd71dp"),
        ("Following SG-2025-0143 the board asked for assurance.", "CASE_REFERENCE", "SG-2025-0143"),
    ],
)
def test_each_kind_of_identifier_is_replaced(text, kind, wording):
    result = redact(text)
    assert (kind, wording) in {(entity.type, entity.text) for entity in result.entities}
    assert wording not in result.text


def test_entities_point_into_the_original_text():
    text = "Mrs Jean Doyle, 14 Mill Lane, Harrogate HG1 5AB. Ring 07700 900461."
    for entity in redact(text).entities:
        assert text[entity.start : entity.end] == entity.text


def test_the_same_person_gets_the_same_placeholder_throughout():
    result = redact(
        "I met Jean Doyle on Tuesday. Jean told me her nephew Craig Mason had taken money. "
        "Later Jean Doyle said she wanted it to stop, and that Craig should not be punished."
    )
    placeholders = {entity.text: entity.placeholder for entity in result.entities}
    assert placeholders["Jean Doyle"] == placeholders["Jean"] == "[PERSON 1]"
    assert placeholders["Craig Mason"] == placeholders["Craig"] == "[PERSON 2]"
    assert result.text.count("[PERSON 1]") == 3
    assert result.placeholders["[PERSON 1]"] == ["Jean Doyle", "Jean"]


def test_the_same_number_written_two_ways_gets_one_placeholder():
    result = redact("Call 07700 900461 or +44 7700 900461.")
    assert {entity.placeholder for entity in result.entities} == {"[PHONE 1]"}


@pytest.mark.parametrize(
    "text",
    [
        "The police and the council both said they would share information sooner.",
        "The social worker agreed to visit within two days and the GP will review it.",
        "Learning was shared at the Safeguarding Adults Board and with Adult Social Care.",
        "The meeting on 14 May 2025 agreed three actions; the review is due on 30/06/2025.",
    ],
)
def test_words_that_identify_nobody_are_left_alone(text):
    assert redact(text).text == text


def test_a_ten_digit_number_with_a_wrong_check_digit_is_not_an_nhs_number():
    assert ("NHS_NUMBER", "943 476 5910") not in found("NHS number 943 476 5910.")
    assert ("NHS_NUMBER", "943 476 5919") in found("NHS number 943 476 5919.")


def test_a_name_known_only_from_the_record_is_replaced(app):
    lead = make_user("lead")
    narrative = make_narrative(
        lead,
        facilitator_name="Marigold Esterhuizen",
        consent_recorded_by="Independent advocate",
        think_family_notes="Her grandson Tyler Briggs visits at weekends.",
    )
    deny = deny_list_for_narrative(narrative, extra_terms=[("PLACE", "Lower Wortley")])
    text = "so then marigold esterhuizen rang me, and Tyler came round from lower wortley"
    # spaCy does not see a name typed in lower case; the record does.
    assert ("PERSON", "marigold esterhuizen") not in found(text)
    result = redact(text, deny_list=deny)
    assert result.text == "so then [PERSON 1] rang me, and [PERSON 2] came round from [PLACE 1]"
    assert ("CASE_REFERENCE", narrative.case.reference) in deny.entries
    assert "Independent advocate" not in deny.terms("PERSON")


def test_a_role_in_a_name_field_is_not_a_name():
    deny = DenyList()
    deny.add("Independent advocate")
    deny.add("Dr Olu Bankole")
    assert deny.terms("PERSON") == ["Olu Bankole"]


def test_the_record_gives_a_case_reference_any_format(app):
    lead = make_user("lead")
    narrative = make_narrative(lead, case_reference="WEST/22/7")
    result = redact("Linked to WEST/22/7 last year.", deny_list=deny_list_for_narrative(narrative))
    assert result.text == "Linked to [CASE REFERENCE 1] last year."


def test_nothing_reaches_the_network_while_building_and_redacting(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    recognizers.analyzer.cache_clear()
    recognizers.offline_suffixes.cache_clear()
    try:
        result = redact("Email jean.doyle@example.co.uk or sue@example.org, from Leeds.")
    finally:
        recognizers.analyzer.cache_clear()
    assert [entity.type for entity in result.entities][:2] == ["EMAIL", "EMAIL"]
    assert attempts == []


def test_only_uk_and_general_recognizers_are_loaded():
    engine = recognizers.analyzer(redaction._model())
    names = {recognizer.name for recognizer in engine.registry.recognizers}
    assert not any(name.startswith("Us") for name in names), names
    assert {"NhsNumberRecognizer", "UkPostcodeRecognizer", "PhoneRecognizer"} <= names
    phone = next(r for r in engine.registry.recognizers if r.name == "PhoneRecognizer")
    assert phone.supported_regions == ("GB",)


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_gives_empty_text(text):
    result = redact(text)
    assert (result.text, result.entities, result.placeholders) == (text, [], {})


def test_control_characters_do_not_hide_a_name_or_shift_offsets():
    text = "Jean\u200bDoyle rang.\x00 Jean Do\u00adyle again.\x07"
    result = redact(text)
    assert result.text == "[PERSON 1] rang.  [PERSON 1] again. "
    first, second = result.entities
    assert text[first.start : first.end] == "Jean\u200bDoyle" == first.text
    assert text[second.start : second.end] == "Jean Do\u00adyle" == second.text


def test_a_long_text_is_read_in_pieces_with_offsets_kept(monkeypatch):
    monkeypatch.setattr(redaction, "CHUNK_CHARACTERS", 300)
    pieces = []
    cut = redaction._chunks

    def cut_and_keep(text):
        pieces.extend(cut(text))
        return pieces

    monkeypatch.setattr(redaction, "_chunks", cut_and_keep)
    filler = "We talked about what mattered to her and what she wanted to happen next. " * 6
    text = "\n\n".join([f"Jean Doyle rang on 07700 900461. {filler}"] * 5 + ["Postcode HG1 5AB."])
    result = redact(text)
    assert len(pieces) > 5
    assert "".join(piece for _, piece in pieces) == text
    assert result.text.count("[PERSON 1]") == 5
    assert result.text.count("[PHONE 1]") == 5
    assert "[POSTCODE 1]" in result.text
    for entity in result.entities:
        assert text[entity.start : entity.end] == entity.text


def test_texts_are_redacted_in_batches_independently():
    first, second = redaction.redact_many(["Jean Doyle rang.", "Craig Mason rang."])
    assert first.text == second.text == "[PERSON 1] rang."


def test_a_reviewer_can_undo_and_add_replacements():
    text = "Jean Doyle met Craig Mason at the allotments. The allotments were locked."
    draft = redact(text)
    kept = [entity for entity in draft.entities if entity.text != "Jean Doyle"]
    added = occurrences(text, "the  Allotments", "PLACE")
    result = render(text, kept + added)
    assert result.text == "Jean Doyle met [PERSON 1] at [PLACE 1]. [PLACE 1] were locked."


def test_overlapping_replacements_are_refused():
    text = "Jean Doyle rang."
    overlapping = [
        redaction.Entity("PERSON", 0, 10, "Jean Doyle"),
        redaction.Entity("PERSON", 5, 10, "Doyle"),
    ]
    with pytest.raises(DomainError, match="overlap"):
        render(text, overlapping)


def test_a_configured_pipeline_that_is_not_installed_says_so(app):
    app.config["SPACY_MODEL"] = "en_no_such_pipeline"
    with pytest.raises(DomainError, match="en_no_such_pipeline is not installed"):
        redact("Jean Doyle rang.")


# ------------------------------------------------------------------ names in any case


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        # typed in lower case, a name beside an age
        (
            "visited edna vexcombe, 87, at home today. edna said terry does her shopping",
            "visited [PERSON 1], 87, at home today. [PERSON 1] said [PERSON 2] does her shopping",
        ),
        # a title in lower case
        (
            "message from dr okonkwo: mrs fairclough missed two appointments",
            "message from dr [PERSON 1]: mrs [PERSON 2] missed two appointments",
        ),
        # a lower-case name in a note otherwise written with capitals
        (
            "Visited harold pemberton-smythe, 91, with his carer joy.",
            "Visited [PERSON 1], 91, with his carer [PERSON 2].",
        ),
    ],
)
def test_names_typed_in_lower_case_are_replaced(text, redacted):
    assert redact(text).text == redacted


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        (
            "REFERRAL FOR DOREEN HALLSWORTH (82) FROM HER SON GARY. CONCERN: MONEY MISSING.",
            "REFERRAL FOR [PERSON 1] (82) FROM HER SON [PERSON 2]. CONCERN: MONEY MISSING.",
        ),
        (
            "ITS MAUREEN HERE I NEED SOMEONE TO RING ME ABOUT MY BROTHER STAN HE WILL NOT ANSWER",
            "ITS [PERSON 1] HERE I NEED SOMEONE TO RING ME ABOUT MY BROTHER [PERSON 2] HE WILL "
            "NOT ANSWER",
        ),
    ],
)
def test_names_in_capitals_are_replaced_and_the_words_around_them_kept(text, redacted):
    assert redact(text).text == redacted


def test_names_in_unpunctuated_transcribed_speech_are_replaced():
    speech = (
        "so my daughter kelly rang the ward and they said mum was fine and then my nephew "
        "lee started coming round and kelly said he wanted money off me"
    )
    assert redact(speech).text == (
        "so my daughter [PERSON 1] rang the ward and they said mum was fine and then my nephew "
        "[PERSON 2] started coming round and [PERSON 1] said he wanted money off me"
    )


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        # a relation after the name
        (
            "thats khalid the nephew and lisa my support worker",
            "thats [PERSON 1] the nephew and [PERSON 2] my support worker",
        ),
        # a family name people are called by, and a nickname
        ("nana pat and little mason came", "nana [PERSON 1] and little [PERSON 2] came"),
        # particles inside a name
        ("Dafydd ap Gwyn met the family.", "[PERSON 1] met the family."),
        ("Pieter van der Berg chaired it.", "[PERSON 1] chaired it."),
        # a first name that is also a word, paired with a name
        (
            "Bill and Edith Pollard have been married sixty years.",
            "[PERSON 1] and [PERSON 2] have been married sixty years.",
        ),
        # care settings in lower case and capitals, and a saint's name
        (
            "she's been in meadowcroft care home since march",
            "she's been in [ORGANISATION 1] since march",
        ),
        (
            "they had me at st luke's for three weeks",
            "they had me at [ORGANISATION 1] for three weeks",
        ),
        ("THE LADY FROM ST PETER'S CHURCH CAME", "THE LADY FROM [ORGANISATION 1] CAME"),
    ],
)
def test_names_known_by_the_words_around_them_are_replaced(text, redacted):
    assert redact(text).text == redacted


@pytest.mark.parametrize(
    "text",
    [
        "she was in the local hospital for a week and the care home was not told",
        "He went to the same nursing home as his wife.",
        "A big mark on her arm was noted.",
        "The little bit of money she had was gone.",
        "my nan will come on sunday and so little will change",
        "uncle may have seen it",
    ],
)
def test_places_and_words_that_name_nobody_stay(text):
    assert redact(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "Draft leaflet reviewed by the team on Tuesday.",
        "Draft reviewed",
        "Draft letter sent to the family",
        "Frank conversations with the family helped.",
        "Grace periods for the rent arrears were agreed with the housing officer.",
        "Mark the referral as urgent and copy in the duty social worker.",
        "Hope is what kept me going, she said.",
        "Sunny days were the worst for him.",
        "Rose bushes in the front garden had been dug up.",
        "Will the family be told before the meeting?",
        "In May she moved into the flat. She may need more support.",
        "To be frank, nobody read the draft until the day of the panel.",
        "MAY 2025 REVIEW – WARD MANAGER TO MARK ALL INCIDENTS ON THE LOG",
        "i will ring you back i just hope they listen this time it may take a while",
    ],
)
def test_ordinary_words_that_are_also_names_are_kept(text):
    assert redact(text).text == text


def test_an_ordinary_word_is_kept_where_the_same_word_is_someones_name():
    result = redact("Her brother Bill rang to say the bill for the care home was not paid.")
    assert (
        result.text == "Her brother [PERSON 1] rang to say the bill for the care home was not paid."
    )
    assert redact("Will said he would come. He will bring the forms.").text == (
        "[PERSON 1] said he would come. He will bring the forms."
    )


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("Young carers are often missed; Lily-Rose (12) is one.", "Lily-Rose"),
        ("Think Family: Dylan (4) and his sister Maisie (9) live with their mum.", "Dylan"),
    ],
)
def test_a_childs_name_is_a_person(text, child):
    found_types = {entity.text: entity.type for entity in redact(text).entities}
    assert found_types[child] == "PERSON"


def test_one_person_has_one_placeholder_whatever_the_case():
    result = redact("Kelly Briggs rang on Monday. later kelly rang again, and KELLY BRIGGS wrote.")
    assert (
        result.text
        == "[PERSON 1] rang on Monday. later [PERSON 1] rang again, and [PERSON 1] wrote."
    )


def test_truecasing_keeps_the_length_and_acronyms():
    text = "REFERRAL FOR DOREEN VEXCOMBE, NHS NO 943 476 5919, GP AWARE"
    cased = truecasing.truecase(text)
    assert len(cased) == len(text)
    assert cased.startswith("referral for Doreen Vexcombe, NHS no 943 476 5919")
    assert truecasing.truecase("so my daughter kelly rang") == "so my daughter Kelly rang"


# ------------------------------------------------------------------------------ the command


def invoke(app, args, input=None):
    return CliRunner().invoke(redact_command, args, input=input, obj=app_script_info(app))


def app_script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def test_the_command_prints_the_redacted_text(app, tmp_path):
    source = tmp_path / "note.txt"
    source.write_text("Jean Doyle, NHS number 943 476 5919.", encoding="utf-8")
    result = invoke(app, [str(source)])
    assert result.exit_code == 0, result.output
    assert result.output == "[PERSON 1], NHS number [NHS NUMBER 1].\n"


def test_the_command_prints_json_from_standard_input(app):
    result = invoke(app, ["-", "--json"], input="Please ring Jean Doyle on 07700 900461.")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["id"] == "-"
    assert data["text"] == "Please ring [PERSON 1] on [PHONE 1]."
    assert data["entities"] == [
        {"type": "PERSON", "start": 12, "end": 22, "text": "Jean Doyle"},
        {"type": "PHONE", "start": 26, "end": 38, "text": "07700 900461"},
    ]


def test_the_command_redacts_one_json_line_per_input_line(app, tmp_path):
    source = tmp_path / "texts.jsonl"
    source.write_text(
        '{"id": 1, "text": "Jean Doyle rang."}\n\n{"id": "b", "text": ""}\n'
        '{"id": 3, "text": "Postcode HG1 5AB."}\n',
        encoding="utf-8",
    )
    result = invoke(app, ["--jsonl", str(source)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == [1, "b", 3]
    assert [line["text"] for line in lines] == ["[PERSON 1] rang.", "", "Postcode [POSTCODE 1]."]


def test_the_command_says_which_line_is_not_json(app, tmp_path):
    source = tmp_path / "texts.jsonl"
    source.write_text('{"id": 1, "text": "fine"}\nnot json\n', encoding="utf-8")
    result = invoke(app, ["--jsonl", str(source)])
    assert result.exit_code == 1
    assert 'line 2 is not a JSON object with "id" and "text"' in result.output


@pytest.mark.parametrize(
    ("args", "input", "message"),
    [
        (["-"], "   \n", "The text is empty"),
        ([], None, "Give a FILE (or -), or --jsonl FILE."),
    ],
)
def test_the_command_refuses_what_it_cannot_redact(app, args, input, message):
    result = invoke(app, args, input=input)
    assert result.exit_code != 0
    assert message in result.output


def test_the_command_refuses_text_that_is_not_utf8(app, tmp_path):
    source = tmp_path / "note.txt"
    source.write_bytes(b"Jean \xff\xfe Doyle")
    result = invoke(app, [str(source)])
    assert result.exit_code == 1
    assert "is not UTF-8 text" in result.output
