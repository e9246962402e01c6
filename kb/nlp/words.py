"""What a word is, and which words are function words: the one place kb says so.

A word is a run of word characters — letters of any script, digits, the underscore
(Python's ``\\w``) — with apostrophes inside it: "it's" and "body’s" are one word each,
"well-known" and "COVID-19" two (a lexicon phrase names "known", and "19" is a number
of its own).

>>> words("The body’s well-known COVID-19 test_case: Ελληνικά, 2 µg!")
['The', 'body’s', 'well', 'known', 'COVID', '19', 'test_case', 'Ελληνικά', '2', 'µg']

Three modules need another notion, each for a reason of its own; they are variants here,
named for what they are, so that no module keeps a word pattern of its own:

- ``word_count``: a hyphenated compound counts once, as a word processor counts
  ("well-known" is one word): a source's word count (kb.ingest).
- ``search_words``: letters and digits only, with at most one apostrophe inside
  ("rock'n'roll" is "rock'n" and "roll"): the words kb.check looks for in the store and
  sends to SQLite's full-text index, whose tokenizer (FTS5 unicode61) splits at the
  underscore as at any other punctuation.
- ``alnum_runs``: runs of letters and digits; apostrophes and underscores split. Near-
  duplicate detection (kb.analyze.independence) compares these: "it's" and "it’s" give
  the same pieces, and the piece after an apostrophe ("s", "ll") is a function word.
  Its thresholds were measured with them.

Function words carry no content: ``FUNCTION_WORDS`` is what claim grouping
(kb.stages.assemble) and a check's full-text query (kb.check) leave out of a text's
words. Two lists differ from it, for the reasons given with them: ``ALIGNMENT_STOPWORDS``
(near-duplicate detection) and ``TITLE_STOPWORDS`` (a BibTeX key's title word, kb.cite).

Matching lexicon phrases (kb.nlp.match) tokenizes with ``WORD``; its other tokens are
punctuation that a phrase's gap may not cross. Quantities (kb.nlp.quantities) write their
grammar with ``LETTER``. tests/test_words.py holds every caller to these notions.
"""

from __future__ import annotations

import re

__all__ = [
    "ALIGNMENT_STOPWORDS",
    "ALNUM_RUN",
    "FUNCTION_WORDS",
    "HYPHENATED_WORD",
    "LETTER",
    "SEARCH_WORD",
    "TITLE_STOPWORDS",
    "WORD",
    "alnum_runs",
    "search_words",
    "word_count",
    "word_list",
    "words",
]

# A letter of any script: a word character that is neither a digit nor the underscore.
LETTER = r"[^\W\d_]"
_LETTER_OR_DIGIT = r"[^\W_]"

WORD = re.compile(r"\w+(?:['’]\w+)*")
HYPHENATED_WORD = re.compile(r"\w+(?:['’-]\w+)*")
SEARCH_WORD = re.compile(rf"{_LETTER_OR_DIGIT}+(?:['’]{_LETTER_OR_DIGIT}+)?")
ALNUM_RUN = re.compile(rf"{_LETTER_OR_DIGIT}+")


def words(text: str) -> list[str]:
    """The words of ``text``, as written (module docstring).

    >>> words("It's a rock'n'roll hall-of-fame; ‘quoted’ snake_case")
    ["It's", 'a', "rock'n'roll", 'hall', 'of', 'fame', 'quoted', 'snake_case']
    """
    return WORD.findall(text)


def word_count(text: str) -> int:
    """How many words ``text`` has, a hyphenated compound counting once.

    >>> word_count("A well-known, evidence-based 10-minute treatment"), len(words("well-known"))
    (5, 2)
    """
    return len(HYPHENATED_WORD.findall(text))


def search_words(text: str) -> list[str]:
    """Words as full-text search terms: letters and digits, at most one apostrophe inside.

    >>> search_words("It's rock'n'roll, snake_case")
    ["It's", "rock'n", 'roll', 'snake', 'case']
    """
    return SEARCH_WORD.findall(text)


def alnum_runs(text: str) -> list[str]:
    """Runs of letters and digits: apostrophes, hyphens and underscores split.

    >>> alnum_runs("Acupuncture’s needles—thin! snake_case")
    ['Acupuncture', 's', 'needles', 'thin', 'snake', 'case']
    """
    return ALNUM_RUN.findall(text)


def word_list(text: str) -> list[str]:
    """A list written as prose, split at whitespace: easier to read and edit than a list
    of quoted words.

    >>> word_list('''one two
    ...              three''')
    ['one', 'two', 'three']
    """
    return text.split()


# Articles, conjunctions, prepositions, pronouns, auxiliaries and quantifiers, in lower
# case: a text's words without these are what it is about.
FUNCTION_WORDS = frozenset(
    word_list(
        """
        a an the and or but if of to in on at by for with from as is are was were be been being
        it its this that these those there their they them you your we our he she his her i me
        my can could may might will would should must do does did has have had not no so than
        then also very more most some such into about over after before while which who what
        when where how why all any each other both many much few one
        """
    )
)

# What near-duplicate detection ignores when it aligns a rewrite with its original: a
# longer list than FUNCTION_WORDS, with every person of the pronouns because rewrites
# switch person ("a person's skin" → "your skin"), and the pieces apostrophes leave in
# ``alnum_runs`` ("s", "t", "ll", "re", "ve", "d", "m"). "many" and "much" are content
# here. Its thresholds (kb.analyze.independence) were measured with this list.
ALIGNMENT_STOPWORDS = frozenset(
    word_list(
        """
        a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing don down during each
        even few for from further had has have having he her here hers him his how i if in into
        is it its itself just let may me might more most must my no nor not now of off often on
        once one only or other our ours out over own per same she should so some such than that
        the their theirs them then there these they this those through to too under until up us
        very was we were what when where which while who whom why will with would you your yours
        s t ll re ve d m
        """
    )
)

# The words a BibTeX key skips when it takes the first word of a title ("The Needle
# Effect" → "needle"): a few of FUNCTION_WORDS, so that a key keeps the title's first
# word more often than not ("More Than a Needle" → "more").
TITLE_STOPWORDS = frozenset(
    word_list("a an the and of on in for to how what why when can does do is are")
)
