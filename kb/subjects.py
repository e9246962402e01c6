"""Which of a knowledge base's subjects a checked sentence names (kb.check): a sentence
checked on its own has no title or article around it to say what it is about.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kb.model import Statement
from kb.nlp.topic import DASHES

__all__ = ["SubjectNames"]

# A named subject counts only with at least 1/_MINOR_SUBJECT of the claims of the most
# claimed subject the sentence names.
_MINOR_SUBJECT = 4
# Words that join two names into one subject: "both A and B", "A or B", "A as well as B".
_JOINING = frozenset("and or both either nor neither as well".split())


class SubjectNames:
    """The subjects of a KB's claims that have no lexicon concept ("~turmeric", "~omega-3
    fatty acid"), to find which a checked sentence names: a checked sentence has no title
    or article around it to say what it is about, so "Clinical trials have proven that
    turmeric works" would otherwise match what every source says of anything.

    >>> names = SubjectNames({"~turmeric": 9, "~omega-3 fatty acid": 5, "~people": 1})
    >>> names.named_in("Omega-3 supplements and turmeric are safe for people.")
    ['~omega-3 fatty acid', '~turmeric']
    >>> names.named_in("Turmeric is safer than omega-3.")
    ['~turmeric']
    """

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for subject in counts:
            words = _name_words(subject[1:]) if subject.startswith("~") else ()
            if words:
                self._by_first.setdefault(words[0], []).append((words, subject))

    def named_in(self, text: str) -> list[str]:
        """The subjects ``text`` names, in its order: a subject's words in a row, or a
        first word that is a name of letters and digits ("omega-3" in "omega-3
        supplements"); of subjects named by the same words, the one most claims are
        about; of overlapping names, the longest."""
        tokens = _name_words(text)
        spans: list[tuple[int, int, str]] = []
        for i, token in enumerate(tokens):
            for words, subject in self._by_first.get(token, ()):
                if tokens[i : i + len(words)] == words:
                    spans.append((i, i + len(words), subject))
                elif _is_name(token):
                    spans.append((i, i + 1, subject))
        spans.sort(key=lambda s: (s[0] - s[1], -self.counts[s[2]], s[2]))
        taken: list[tuple[int, int, str]] = []
        for start, end, subject in spans:
            if all(end <= a or b <= start for a, b, _ in taken):
                taken.append((start, end, subject))
        # A subject of a few claims beside one of many is a word of the sentence that
        # some clause of a source happened to be about ("sleep", beside "melatonin").
        most = max((self.counts[s] for _, _, s in taken), default=0)
        kept = sorted(t for t in taken if self.counts[t[2]] * _MINOR_SUBJECT >= most)
        # The first named, with those joined to it ("glucosamine and turmeric"): the
        # sentence's subject, not every thing it goes on to name ("Individuals with blood
        # type O are more susceptible to COVID-19").
        run = kept[:1]
        for span in kept[1:]:
            if not _joins(tokens[run[-1][1] : span[0]]):
                break
            run.append(span)
        return list(dict.fromkeys(subject for _, _, subject in run))

    def about(self, reading: Statement, named: list[str]) -> list[Statement]:
        """``reading`` about what its sentence names: one per named subject when kb read
        none ("Both turmeric and melatonin work": two); a subject no claim of the KB is
        about ("~omega-3 supplements") becomes the named subject inside it."""
        subject = reading.subject
        if not named or subject in self.counts or (subject and not subject.startswith("~")):
            return [reading]
        if subject:
            inside = [n for n in named if set(_name_words(n[1:])) & set(_name_words(subject[1:]))]
            return [replace(reading, subject=inside[0])] if inside else [reading]
        return [replace(reading, subject=n) for n in named]


def _joins(between: tuple[str, ...]) -> bool:
    """Whether the words between two names join them: nothing (a list), or joining words
    after at most two more words of the first name ("omega-3 supplements and turmeric").

    >>> _joins(()), _joins(("supplement", "and")), _joins(("is", "safer", "than"))
    (True, True, False)
    """
    if not between:
        return True
    first = next((i for i, word in enumerate(between) if word in _JOINING), None)
    return first is not None and first <= 2 and set(between[first:]) <= _JOINING


def _name_words(text: str) -> tuple[str, ...]:
    """Words of a name, lower-cased, dashes as hyphens, a plural's "s" cut ("Omega−3
    fatty acids" → omega-3, fatty, acid)."""
    words = _NAME_WORD.findall(text.lower().translate(DASHES))
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                 for w in words)  # fmt: skip


_NAME_WORD = re.compile(r"[\w]+(?:-[\w]+)*")


def _is_name(word: str) -> bool:
    """A word of letters and digits names something by itself ("omega-3", "b12")."""
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
