"""Lexicons (framing.load_lexicon / framing.Lexicon): the shipped lists, user additions, overrides and
removals, matching of multi-word and inflected forms, and the digest that identifies a lexicon."""

from __future__ import annotations

import pytest

import framing
from framing import Lexicon, load_lexicon
from framing.lexicon._lexicon import LEXICON_NAMES, LexiconEntry, LexiconMatcher, normalise_term
from framing.text import build_tokenizer


@pytest.fixture(scope="module")
def bundled():
    return load_lexicon()


def test_every_shipped_lexicon_loads_through_the_public_api(bundled):
    assert isinstance(bundled, framing.Lexicon)
    assert set(LEXICON_NAMES) == {"loaded", "naming", "hedge", "booster", "attribution", "source", "org", "boilerplate",
                                  "valence"}
    for name in LEXICON_NAMES:
        assert len(bundled.terms(name)) >= 10, name
        assert bundled.categories(name), name
    assert "reportedly" in bundled.terms("hedge")
    assert "kyiv regime" in bundled.terms("loaded")
    assert "distancing" in bundled.categories("hedge")
    # Terms are stored normalised: lower case, single spaces, no possessive.
    assert all(entry.term == normalise_term(entry.term) for entry in bundled)
    assert load_lexicon() == bundled and hash(load_lexicon()) == hash(bundled)


def test_bundled_false_starts_empty():
    assert len(load_lexicon(bundled=False)) == 0
    only = load_lexicon([LexiconEntry("hedge", "kinda", "slang")], bundled=False)
    assert [(e.lexicon, e.term, e.category) for e in only] == [("hedge", "kinda", "slang")]


# ---------------------------------------------------------------------- user entries


def test_user_entries_add_override_and_remove(bundled):
    assert "woke" not in bundled.terms("loaded")
    assert "reportedly" in bundled.terms("hedge")
    custom = load_lexicon([
        LexiconEntry("loaded", "Woke", "partisan_label", "my corpus"),       # added (normalised to lower case)
        LexiconEntry("hedge", "allegedly", "legal_hedge", "override"),        # category overridden
        LexiconEntry("hedge", "reportedly", "-"),                             # removed
    ])
    assert "woke" in custom.terms("loaded")
    assert "reportedly" not in custom.terms("hedge")
    (allegedly,) = [e for e in custom if e.lexicon == "hedge" and e.term == "allegedly"]
    assert (allegedly.category, allegedly.note) == ("legal_hedge", "override")
    assert len(custom) == len(bundled) + 1 - 1  # one added, one overridden in place, one removed
    assert bundled.terms("hedge").count("allegedly") == 1  # the bundled lexicon itself is unchanged
    assert "reportedly" in bundled.terms("hedge")


def test_user_tsv_file(tmp_path, bundled):
    path = tmp_path / "mine.tsv"
    path.write_text(
        "# my additions\n"
        "term\tlexicon\tcategory\tnote\n"
        "special military operation\tnaming\t-\tnot in my corpus\n"
        "Useful Idiots\tloaded\tpejorative\tseen in op-eds\n"
        "\n"
        "sources say\tsource\tvague_source\n",
        encoding="utf-8",
    )
    custom = load_lexicon(path)
    assert "useful idiots" in custom.terms("loaded")
    assert "sources say" in custom.terms("source")
    assert "special military operation" in bundled.terms("naming")
    assert "special military operation" not in custom.terms("naming")


@pytest.mark.parametrize("content, message", [
    ("term\tcategory\nx\ty\n", "header must be"),
    ("term\tlexicon\tcategory\nx\tspin\ty\n", "unknown lexicon 'spin'"),
    ("term\tlexicon\tcategory\nx\tloaded\t\n", "term and category must be non-empty"),
])
def test_malformed_user_tsv_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        load_lexicon(path)
    assert str(path) in str(info.value)


def test_unknown_lexicon_or_empty_term_is_refused():
    with pytest.raises(ValueError, match=r"unknown lexicon 'spin'.*available"):
        Lexicon([LexiconEntry("spin", "x", "y")])
    with pytest.raises(ValueError, match="empty term"):
        Lexicon([LexiconEntry("hedge", " — ", "y")])  # punctuation only: nothing left to match


# ---------------------------------------------------------------------- matching


def match_terms(lexicon, text):
    matcher = LexiconMatcher(lexicon.entries)
    tokens = build_tokenizer()(text)
    return [(matcher.entries[index].lexicon, matcher.entries[index].term, " ".join(tokens[a:b]))
            for index, a, b in matcher.match(tokens)]


def test_multi_word_terms_match_across_case_and_possessives(bundled):
    found = match_terms(bundled, "The Kyiv Regime’s envoy spoke of a Special Military Operation.")
    assert ("loaded", "kyiv regime", "kyiv regime") in found
    assert ("naming", "special military operation", "special military operation") in found
    # A multi-word term needs all its words in order.
    assert ("loaded", "kyiv regime") not in [(name, t) for name, t, _ in match_terms(bundled, "Kyiv said the regime fell.")]


def test_inflected_forms_match():
    lexicon = load_lexicon([LexiconEntry("loaded", "capitulat*", "pejorative"),
                            LexiconEntry("loaded", "puppet", "partisan_label"),
                            LexiconEntry("loaded", "spy", "pejorative")], bundled=False)
    found = match_terms(lexicon, "Capitulation and capitulating puppets, puppet states, spies and spys.")
    assert [(term, text) for _, term, text in found] == [
        ("capitulat*", "capitulation"), ("capitulat*", "capitulating"),
        ("puppet", "puppets"), ("puppet", "puppet"),
    ]  # plural -s only for words of 4+ letters: "spys" and "spies" do not match "spy"


def test_match_positions_are_token_ranges():
    matcher = LexiconMatcher([LexiconEntry("source", "people familiar", "vague_source"),
                              LexiconEntry("source", "people", "vague_source")])
    assert matcher.match(["people", "familiar", "with", "people"]) == [(0, 0, 2), (1, 0, 1), (1, 3, 4)]
    assert matcher.match([]) == []
    assert matcher.match(["people"]) == [(1, 0, 1)]  # a term longer than what is left never matches


# ---------------------------------------------------------------------- digest


def test_digest_identifies_the_entries(bundled):
    digest = bundled.digest()
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert load_lexicon().digest() == digest
    # Order of the user's entries does not matter; content does.
    a = Lexicon([LexiconEntry("hedge", "kinda", "slang"), LexiconEntry("loaded", "woke", "label")])
    b = Lexicon([LexiconEntry("loaded", "woke", "label"), LexiconEntry("hedge", "kinda", "slang")])
    assert a.digest() == b.digest()
    changed = {
        "added": bundled.extend([LexiconEntry("hedge", "kinda", "slang")]),
        "removed": bundled.extend([LexiconEntry("hedge", "reportedly", "-")]),
        "category": bundled.extend([LexiconEntry("hedge", "reportedly", "other")]),
        "note": bundled.extend([LexiconEntry("hedge", "reportedly", "distancing", "a new note")]),
    }
    digests = {name: lexicon.digest() for name, lexicon in changed.items()}
    assert digest not in digests.values()
    assert len(set(digests.values())) == len(digests)


def test_records_round_trip(bundled):
    again = Lexicon.from_records(bundled.to_records())
    assert again == bundled and again.digest() == bundled.digest()


# ---------------------------------------------------------------------- topic words


def test_topic_words_load_normalised_with_their_provenance():
    from importlib import resources

    from framing.lexicon._lexicon import TOPIC_WORDS_FILE, _parse_tsv, load_topic_words

    topics = load_topic_words()
    assert {"war", "state", "industry", "crowd", "lobby", "left", "political", "strike", "union", "migrant",
            "police", "vaccine"} <= topics
    assert all(term == normalise_term(term) and " " not in term for term in topics)
    text = resources.files("framing.lexicon").joinpath("data", TOPIC_WORDS_FILE).read_text(encoding="utf-8")
    entries = _parse_tsv(text, TOPIC_WORDS_FILE, "loaded")
    assert len(entries) == len(topics)  # no duplicates
    assert all(entry.note.startswith("framing project list, issue 19: ") for entry in entries)
    # Not a lexicon: nothing from the file is matched or becomes a feature.
    assert TOPIC_WORDS_FILE not in framing.lexicon._lexicon.LEXICON_FILES.values()
