"""File names made from what people typed (a person's pseudonym, a case reference), safe on
Linux, macOS and Windows and never too long, whatever is already in a diary.

A file system takes at most 255 bytes in one name (ext4, APFS; NTFS counts 255 UTF-16 units,
never more than the bytes). A 300-character case reference once made every export fail with
"File name too long" for as long as the case stayed in the diary. :func:`safe_stem` keeps a
readable start of the text and, when it had to cut, adds a short hash of the whole text, so
two references that differ only at the end still get two files, the same two every time.
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata

# The most bytes one name may have on the file systems a council uses.
NAME_BYTES = 255
# The most bytes of one piece of text in a name: two of them (a person and a case), a
# number, a word, a suffix, a clash's "-2" and the temporary name writing uses
# (exports.atomic: ".NAME.xxxxxxxxxxxx.part") still fit in NAME_BYTES.
STEM_BYTES = 80
HASH_CHARS = 10
# Anything but letters and digits (of any script), "_", "." and "-" is left out of a name:
# "/" and "\\" would make a folder, ":*?<>|\"" Windows refuses, and spaces and control
# characters are awkward to type or see.
_UNSAFE = re.compile(r"[^\w.-]+")
# Names Windows keeps for devices, whatever follows the dot (CON.ics is the console).
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)}
)


def name_hash(text: str) -> str:
    """A short hash of ``text``, the same on every machine and run (unlike ``hash()``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_CHARS]


def _cut(text: str, limit: int) -> str:
    """The longest start of ``text`` of at most ``limit`` UTF-8 bytes, whole characters."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def safe_stem(text: str, *, default: str = "x", limit: int = STEM_BYTES) -> str:
    """A safe piece of a file name from ``text``, at most ``limit`` UTF-8 bytes.

    Parameters
    ----------
    text
        What the name is made from: a pseudonym, a case reference.
    default
        The stem when nothing of ``text`` is left (it was all punctuation).
    limit
        The most bytes of the stem.

    Returns
    -------
    str
        ``text`` with each run of unsafe characters as ``_`` and no dot, ``_`` or ``-`` at
        either end (``SW/2`` -> ``SW_2``, ``..`` -> ``default``; symbols alone, such as
        emoji, ``default`` and their hash). When that is longer than
        ``limit``, its start and ``-`` and the hash of the whole ``text``
        (:func:`name_hash`); a name Windows keeps for a device gets ``_`` (``CON.1`` ->
        ``CON_.1``).
    """
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip("._-")
    if not cleaned:
        # All of it unsafe: punctuation alone ("..") is no name at all, but symbols (emoji)
        # are someone's name, told apart from others' by its hash.
        meant = text.strip(string.punctuation + string.whitespace)
        cleaned = f"{default}-{name_hash(text)}" if meant else default
    if len(cleaned.encode("utf-8")) > limit:
        start = _cut(cleaned, limit - HASH_CHARS - 1).rstrip("._-")
        cleaned = f"{start}-{name_hash(text)}" if start else name_hash(text)
    first, dot, rest = cleaned.partition(".")
    if first.upper() in _RESERVED:
        cleaned = f"{first}_{dot}{rest}"
    return cleaned


def fit_name(name: str, *, limit: int = NAME_BYTES) -> str:
    """``name`` (a whole file name) cut to ``limit`` bytes, its suffix kept, with the hash
    of the whole name when it was cut; a name that fits is returned as it is."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix.encode("utf-8")) > 16:
        stem, suffix = name, ""
    tail = f"-{name_hash(name)}" + (f".{suffix}" if suffix else "")
    return _cut(stem, limit - len(tail.encode("utf-8"))) + tail


__all__ = ["HASH_CHARS", "NAME_BYTES", "STEM_BYTES", "fit_name", "name_hash", "safe_stem"]
