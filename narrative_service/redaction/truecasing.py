"""Truecasing: text typed without capitals, or in capitals, given the case spaCy expects.

spaCy's small English model reads capital letters, so "so my daughter kelly rang" hides a
name from it and "REFERRAL FOR DOREEN" reads as shouting, not as a name. `truecase()` gives
names and places typed in lower case their capital, and lowers words in capitals that are
not acronyms, from the shipped lists in names.py. The length never changes, so offsets into
the truecased text are offsets into the original.
"""

from __future__ import annotations

import re

from .names import (
    CODE,
    FIRST,
    SURNAME,
    TITLE_CUES,
    UNKNOWN,
    WORD,
    generic_words,
    kind_of,
    lists,
    word_key,
)


def _capitalise(word: str) -> str:
    """'o'neill' -> "O'Neill", 'lloyd-davies' -> 'Lloyd-Davies', "luke's" -> "Luke's"."""
    pieces = re.split(r"([\-'’])", word.lower())
    out = []
    for index, piece in enumerate(pieces):
        after_apostrophe = index >= 2 and pieces[index - 1] in "'’"
        if after_apostrophe and pieces[index - 2].lower() not in ("o", "d"):
            out.append(piece)
        else:
            out.append(piece[:1].upper() + piece[1:])
    return "".join(out)


def _should_capitalise(word: str) -> bool:
    key = word_key(word)
    if key in ("mr", "mrs", "ms", "dr"):
        return True
    kind = kind_of(word)
    if kind in (FIRST, SURNAME):
        return True
    return kind == UNKNOWN and key in lists().capitalised


def truecase(text: str) -> str:
    """`text` with the case spaCy expects: names and places typed in lower case get their
    capital ("kelly" -> "Kelly", "leeds" -> "Leeds"), and words in capitals that are not
    acronyms are lowered ("REFERRAL FOR DOREEN" -> "referral for Doreen"). Same length."""
    if not text:
        return text
    characters = list(text)
    changed = False
    previous_end, previous_was_name = -1, False
    for line in re.finditer(r"[^\n]+", text):
        letters = [char for char in line.group() if char.isalpha()]
        if not letters:
            continue
        uppers = sum(char.isupper() for char in letters)
        is_capitals = uppers / len(letters) > 0.6 and len(letters) > 3
        is_lower = uppers == 0
        for chunk in re.finditer(r"[^\s—–]+", line.group()):
            if CODE.search(chunk.group()):
                continue  # an email, a web address, a reference: left as typed
            base = line.start() + chunk.start()
            for match in WORD.finditer(chunk.group()):
                word, start = match.group(), base + match.start()
                after_name = previous_was_name and text[previous_end:start] == " "
                new = _recased(
                    word, is_capitals=is_capitals, is_lower_line=is_lower, after_name=after_name
                )
                previous_end = start + len(word)
                previous_was_name = new[:1].isupper() and kind_of(word) in (FIRST, SURNAME)
                previous_was_name |= word_key(word) in TITLE_CUES
                if new != word and len(new) == len(word):
                    characters[start : start + len(word)] = new
                    changed = True
    return "".join(characters) if changed else text


def _recased(word: str, *, is_capitals: bool, is_lower_line: bool, after_name: bool) -> str:
    if word.islower():
        if word in ("i", "i'm", "i've", "i'd", "i'll"):
            return word.capitalize()
        if _should_capitalise(word):
            # In a line written with capitals, a lower-case surname is a word ("the
            # warden") unless it follows a first name or a title ("harold pemberton").
            if is_lower_line or after_name or kind_of(word) != SURNAME:
                return _capitalise(word)
            return word
        if is_lower_line and len(word) >= 4 and kind_of(word) == UNKNOWN:
            return _capitalise(word)  # most unknown words in text typed without capitals
        return word
    if word.isupper() and len(word) >= 2:
        key = word_key(word)
        if key in lists().acronyms or key in generic_words() and len(key) <= 4 and not is_capitals:
            return word
        if _should_capitalise(word):
            return _capitalise(word)
        if not is_capitals:
            return word  # one word in capitals in a cased sentence: an acronym, kept
        if kind_of(word) == UNKNOWN and len(word) >= 4:
            return _capitalise(word)  # "VEXCOMBE": most likely a name
        return word.lower()
    return word
