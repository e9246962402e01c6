"""Ingest: what a user notices when kb reads their files."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from kb.errors import IngestError
from kb.ingest import SUPPORTED_SUFFIXES, FileRef, content_hash, discover, read_source
from kb.ingest import html as html_module
from kb.ingest.html import parse_html
from kb.model import sha256_text


def _read(path: Path):
    """Read one file the way a build does: discover it, then read it."""
    refs, skipped = discover([path])
    assert not skipped
    return read_source(refs[0])


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def minimal_pdf(lines: list[str], info: dict[str, str] | None = None) -> bytes:
    """A valid one-page PDF drawing ``lines`` in Helvetica, with exact xref offsets."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for i, line in enumerate(lines):
        ops.append(f"{_pdf_string(line)} Tj" if i == 0 else f"T* {_pdf_string(line)} Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1") if lines else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if info:
        entries = " ".join(f"/{key} {_pdf_string(value)}" for key, value in info.items())
        objects.append(f"<< {entries} >>".encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if info:
        trailer += b" /Info %d 0 R" % len(objects)
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- HTML -----------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<title>Fallback title</title>
<meta property="og:title" content="Acupuncture and Back Pain">
<meta name="author" content="Dr. Jane Roe">
<meta property="og:site_name" content="Example Health">
<meta property="article:published_time" content="2023-05-01">
<link rel="canonical" href="https://www.example.org/acupuncture">
<style>body { color: STYLETEXT; }</style>
<script>var tracker = "SCRIPTTEXT";</script>
</head><body>
<nav><a href="/">NAVHOME</a> <a href="/shop">NAVSHOP</a></nav>
<article>
<h2>Does it work?</h2>
<p>Acupuncture may relieve
   chronic low back pain.</p>
<p>Evidence is mixed &amp; limited.</p>
<ul><li>Fewer painkillers<li>Better sleep</ul>
<ol><li>Book a session</li><li>Rest</li></ol>
</article>
<footer>FOOTERTEXT</footer>
</body></html>
"""


def test_html_keeps_the_article_and_drops_scripts_styles_and_navigation(tmp_path):
    source = _read(_write(tmp_path / "page.html", PAGE))
    for noise in ("SCRIPTTEXT", "STYLETEXT", "NAVHOME", "NAVSHOP", "FOOTERTEXT", "Fallback"):
        assert noise not in source.text
    assert source.text == (
        "Does it work?\n\n"
        "Acupuncture may relieve chronic low back pain.\n\n"
        "Evidence is mixed & limited.\n\n"
        "• Fewer painkillers\n• Better sleep\n\n"
        "1. Book a session\n2. Rest"
    )
    assert source.format == "html"


def test_html_meta_tags_give_title_author_site_date_and_url(tmp_path):
    source = _read(_write(tmp_path / "page.html", PAGE))
    assert source.title == "Acupuncture and Back Pain"
    assert source.author == "Dr. Jane Roe"
    assert source.site == "Example Health"
    assert source.date == "2023-05-01"
    assert source.url == "https://www.example.org/acupuncture"


def test_html_title_falls_back_to_title_tag_and_site_to_the_url_host():
    page = parse_html(
        '<title> Plain  title </title><meta property="og:url" content="https://ex.org/a">'
        '<p>Text <time datetime="2020-02-02">Feb 2</time></p>'
    )
    assert (page.title, page.site, page.url, page.date) == (
        "Plain title",
        "ex.org",
        "https://ex.org/a",
        "2020-02-02",
    )


def test_html_hidden_and_role_navigation_parts_are_dropped():
    page = parse_html(
        "<body><div role='navigation'>Skip</div><p>Kept</p><p hidden>Gone</p>"
        "<p aria-hidden='true'>Gone too</p></body>"
    )
    assert page.text == "Kept"


def test_html_malformed_markup_still_gives_text():
    # kb's own rules (what reads a page when trafilatura finds no article) repair markup.
    markup = "<div><p>One<p>Two</span></div></b><li>Item<br/>more<![if x]>end"
    page = parse_html(markup, extractor="rules")
    assert page.text == "One\n\nTwo\n\n• Item\nmoreend"


def test_html_without_text_is_an_error(tmp_path):
    path = _write(tmp_path / "blank.html", "<html><body><nav>Only menu</nav></body></html>")
    with pytest.raises(IngestError, match="no readable text"):
        _read(path)


def test_html_meta_charset_is_honoured(tmp_path):
    html = '<meta charset="windows-1252"><p>caf\xe9 \x93quoted\x94</p>'.encode("latin-1")
    source = _read(_write(tmp_path / "old.htm", html))
    assert source.text == "café “quoted”"
    assert source.encoding == "cp1252"


_MARKUP = st.lists(
    st.sampled_from(
        ["<p>", "</p>", "<div>", "</div>", "<li>", "</ul>", "<ol>", "<script>", "</script>",
         "<br>", "<![", "<!", "&amp;", "&", "<", ">", "text", " ", "\n", "<nav>", "</nav>",
         "<article>", "</article>", "<pre>", "</pre>", "<h1>", "<td>", "<table>", "é"]
    ),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_MARKUP)
def test_html_parsing_never_raises_on_markup(markup):
    text = parse_html(markup).text
    assert text == text.strip()
    assert "\n\n\n" not in text


def _lines_run(markup: str) -> int:
    """How many lines of kb/ingest/html.py run to parse ``markup``: work, counted, not timed."""
    count = 0

    def count_lines(frame, event, arg):
        nonlocal count
        count += event == "line"
        return count_lines

    def trace_calls(frame, event, arg):
        return count_lines if frame.f_code.co_filename == html_module.__file__ else None

    previous = sys.gettrace()
    sys.settrace(trace_calls)
    try:
        parse_html(markup)
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize(
    "page",
    [
        lambda n: "<div>" * n + "deep text" + "</div>" * n,  # nested <div>s
        lambda n: "<ul><li>item " * n,  # nested lists, items never closed
        lambda n: "<div>" * n + "word </span>" * n,  # stray end tags deep down
        lambda n: "<article>word " * n,  # nested <article>s, never closed
    ],
    ids=["nested divs", "unclosed list items", "stray end tags", "nested articles"],
)
def test_html_work_grows_linearly_with_nesting_depth(page):
    # Quadratic work made a 1 MB page of nested tags take minutes: twice as deep must
    # cost about twice the work (four times, before), not an ever larger multiple.
    assert _lines_run(page(800)) < 2.5 * _lines_run(page(400))


def test_html_nesting_deeper_than_the_recursion_limit_keeps_every_word():
    depth = 2 * sys.getrecursionlimit()
    page = parse_html(
        "<div><span>" * depth + "deep</span>" + "</div>" * depth + "<ul><li>item " * depth
    )
    assert page.text.split("\n")[0] == "deep"
    assert page.text.count("• item") == depth


def test_html_articles_nested_in_list_items_keep_their_words():
    # Beyond _ARTICLE_LEVELS, an article in a list item of another no longer competes on
    # its own for the main text, but its words stay in the articles around it.
    levels = html_module._ARTICLE_LEVELS + 3
    markup = "".join(f"<article><p>w{i}<ul><li>" for i in range(levels)) + "end"
    page = parse_html(markup, extractor="rules")
    items = "".join(f"• w{i}\n" for i in range(1, levels))
    assert page.text == f"w0\n\n{items}• end"


# --- PDF ------------------------------------------------------------------------


def test_pdf_text_layer_is_extracted(tmp_path):
    data = minimal_pdf(["Acupuncture study", "Pain fell by 30 percent."])
    source = _read(_write(tmp_path / "study.pdf", data))
    assert source.text == "Acupuncture study\nPain fell by 30 percent."
    assert source.format == "pdf"
    assert source.title == "Acupuncture study"


def test_pdf_info_dict_gives_title_author_and_date(tmp_path):
    info = {"Title": "A Trial", "Author": "R. Smith", "CreationDate": "D:20210304120000Z"}
    source = _read(_write(tmp_path / "trial.pdf", minimal_pdf(["Body text."], info)))
    assert (source.title, source.author, source.date) == (
        "A Trial",
        "R. Smith",
        "2021-03-04T12:00:00+00:00",
    )


def test_pdf_without_text_layer_says_to_run_ocr(tmp_path):
    path = _write(tmp_path / "scan.pdf", minimal_pdf([]))
    with pytest.raises(IngestError, match=r"no text layer.*OCR"):
        _read(path)


def test_damaged_pdf_is_an_error_not_a_crash(tmp_path, capfd):
    path = _write(tmp_path / "broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(IngestError, match="cannot read PDF"):
        _read(path)
    assert capfd.readouterr().err == ""  # pypdf's complaints are not printed


def test_password_protected_pdf_says_so(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(minimal_pdf(["Secret"]))))
    writer.encrypt(user_password="pw", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(IngestError, match="cannot read PDF: it is password-protected"):
        _read(_write(tmp_path / "locked.pdf", buffer.getvalue()))


# --- plain text: encodings and newlines -------------------------------------------


def test_cp1252_curly_quotes_are_decoded_and_recorded(tmp_path):
    path = _write(tmp_path / "quotes.txt", b"\x93Needles\x94 don\x92t hurt.\n")
    source = _read(path)
    assert source.text == "“Needles” don’t hurt.\n"
    assert source.encoding == "cp1252"
    assert "decoded as cp1252 (not valid UTF-8)" in source.warnings


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path):
    source = _read(_write(tmp_path / "odd.txt", b"caf\xe9 \x81\n"))
    assert source.encoding == "latin-1"
    assert source.text == "café \x81\n"


def test_utf16_with_bom_is_read(tmp_path):
    path = _write(tmp_path / "wide.txt", "Qi flows\r\nfreely".encode("utf-16"))
    source = _read(path)
    assert source.text == "Qi flows\nfreely"
    assert source.encoding == "utf-16"


def test_utf8_bom_is_not_part_of_the_text(tmp_path):
    source = _read(_write(tmp_path / "bom.md", b"\xef\xbb\xbf# Heading\n\nBody"))
    assert source.text == "# Heading\n\nBody"
    assert source.encoding == "utf-8-sig"
    assert source.title == "Heading"


def test_crlf_and_lone_cr_become_newlines_and_nothing_else_changes(tmp_path):
    source = _read(_write(tmp_path / "mixed.txt", b"  One\r\nTwo\rThree  \n\n"))
    assert source.text == "  One\nTwo\nThree  \n\n"
    assert source.title == "One"
    assert source.sha256 == sha256_text(source.text)
    assert source.words == 3


def test_word_count_keeps_contractions_and_hyphens_together(tmp_path):
    source = _read(_write(tmp_path / "w.txt", "Don’t over-think it, it's 10-20 min."))
    assert source.words == 6


def test_empty_and_whitespace_only_files_are_errors(tmp_path):
    for name, data in (("empty.txt", b""), ("blank.md", b" \n\t\r\n")):
        with pytest.raises(IngestError, match="empty file"):
            _read(_write(tmp_path / name, data))


def test_binary_content_in_a_txt_file_is_an_error(tmp_path):
    samples = {
        "nul.txt": b"text\x00with NUL",
        "random.txt": bytes((i * 37 + 11) % 256 for i in range(4096)),
    }
    for name, data in samples.items():
        with pytest.raises(IngestError, match="binary content"):
            _read(_write(tmp_path / name, data))


def test_unreadable_file_is_an_ingest_error(tmp_path):
    ref = FileRef(tmp_path / "gone.txt", "gone")
    with pytest.raises(IngestError, match="no such file"):
        read_source(ref)


# --- sidecar metadata ----------------------------------------------------------


def test_sidecar_overrides_title_and_sets_author_url_date_kind(tmp_path):
    path = _write(tmp_path / "article.txt", "File title\nBody.")
    _write(
        tmp_path / "article.meta.yaml",
        "title: Real title\nauthor: A. Writer\nurl: https://news.example.com/x\n"
        "date: 2022-01-31\nkind: news\n",
    )
    source = _read(path)
    assert source.title == "Real title"
    assert source.author == "A. Writer"
    assert source.url == "https://news.example.com/x"
    assert source.date == "2022-01-31"
    assert source.kind == "news"
    assert source.site == "news.example.com"


def test_sidecar_with_bad_yaml_names_the_file_and_line(tmp_path):
    path = _write(tmp_path / "article.txt", "Body.")
    _write(tmp_path / "article.meta.yaml", "title: ok\nauthor: Dr: Who\n")
    with pytest.raises(IngestError) as caught:
        _read(path)
    assert caught.value.reason.startswith("bad metadata in article.meta.yaml line 2: ")
    assert caught.value.reason.endswith("; fix the YAML")


def test_sidecar_with_an_impossible_date_names_the_file_and_line(tmp_path):
    path = _write(tmp_path / "article.txt", "Body.")
    _write(tmp_path / "article.meta.yaml", "title: ok\ndate: 2023-02-30\n")
    with pytest.raises(IngestError) as caught:
        _read(path)
    assert caught.value.reason == (
        "bad metadata in article.meta.yaml line 2: '2023-02-30' is not a date (day is out "
        "of range for month); write it as YYYY-MM-DD; fix the YAML"
    )


def test_sidecar_with_unknown_key_is_an_error(tmp_path):
    path = _write(tmp_path / "article.txt", "Body.")
    _write(tmp_path / "article.meta.yaml", "titel: typo\n")
    with pytest.raises(IngestError, match=r"article\.meta\.yaml.*unknown key 'titel'"):
        _read(path)


def test_sidecar_doi_is_kept_normalised_and_must_be_a_doi(tmp_path):
    path = _write(tmp_path / "article.txt", "Body.")
    _write(tmp_path / "article.meta.yaml", "doi: https://doi.org/10.1000/ABC\n")
    assert _read(path).doi == "10.1000/abc"
    _write(tmp_path / "article.meta.yaml", "doi: pending\n")
    with pytest.raises(IngestError, match=r"'pending' is not a DOI"):
        _read(path)


def test_sidecar_kind_must_be_a_known_kind(tmp_path):
    path = _write(tmp_path / "article.txt", "Body.")
    _write(tmp_path / "article.meta.yaml", "kind: rumour\n")
    with pytest.raises(IngestError, match=r"kind 'rumour'.*government"):
        _read(path)


def test_content_hash_changes_when_the_sidecar_changes(tmp_path):
    path = _write(tmp_path / "article.txt", "Body.")
    before = content_hash(path)
    _write(tmp_path / "article.meta.yaml", "title: New\n")
    with_sidecar = content_hash(path)
    _write(tmp_path / "article.meta.yaml", "title: Newer\n")
    assert len({before, with_sidecar, content_hash(path)}) == 3
    assert read_source(FileRef(path, "article")).file_sha256 == content_hash(path)


# --- discovery -----------------------------------------------------------------


def test_discover_recurses_skips_unsupported_and_ignores_sidecars(tmp_path):
    _write(tmp_path / "a.txt", "A")
    _write(tmp_path / "a.meta.yaml", "title: A\n")
    _write(tmp_path / "sub" / "deeper" / "b.md", "B")
    _write(tmp_path / "sub" / "photo.png", b"\x89PNG")
    _write(tmp_path / ".hidden" / "c.txt", "C")
    _write(tmp_path / ".secret.txt", "S")
    refs, skipped = discover([tmp_path])
    assert [r.path for r in refs] == [tmp_path / "a.txt", tmp_path / "sub" / "deeper" / "b.md"]
    assert [r.source_id for r in refs] == ["a", "b"]
    assert [(s.path, s.reason) for s in skipped] == [
        (
            str(tmp_path / "sub" / "photo.png"),
            "unsupported format '.png'; kb reads .txt, .md, .html, .htm, .pdf",
        )
    ]
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".html", ".htm", ".pdf"}


def test_discover_reads_a_hidden_file_named_explicitly_and_counts_duplicates_once(tmp_path):
    hidden = _write(tmp_path / ".notes.txt", "N")
    refs, _ = discover([hidden, tmp_path / "." / ".notes.txt", tmp_path])
    assert [r.path for r in refs] == [hidden]


def test_colliding_ids_get_a_suffix_and_a_warning(tmp_path):
    _write(tmp_path / "a" / "notes.txt", "one")
    _write(tmp_path / "b" / "notes.txt", "two")
    refs, _ = discover([tmp_path])
    assert [r.source_id for r in refs] == ["notes", "notes-2"]
    first, second = (str(r.path) for r in refs)
    assert refs[1].warnings == (
        f"source id 'notes' already used by {first}; {second} is 'notes-2'",
    )
    source = read_source(refs[1])
    assert source.id == "notes-2"
    assert refs[1].warnings[0] in source.warnings


def test_missing_path_raises(tmp_path):
    with pytest.raises(IngestError, match="no such file or directory"):
        discover([tmp_path / "nope"])


# --- links (issue 14.14) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "sidecar"),
    [
        ("page.html", '<html><head><link rel="canonical" href="javascript:alert(1)"></head>'
         "<body><p>Acupuncture may help back pain.</p></body></html>", None),
        ("page.html", '<html><head><meta property="og:url" content="data:text/html,x">'
         "</head><body><p>Acupuncture may help back pain.</p></body></html>", None),
        ("note.txt", "Title: T\nURL: javascript:alert(1)\n\nAcupuncture may help.", None),
        ("note.txt", "Acupuncture may help.", 'url: "javascript:alert(1)"\n'),
    ],
    ids=["canonical link", "og:url", "text header", "sidecar"],
)  # fmt: skip
def test_only_http_and_https_urls_are_kept(tmp_path, name, content, sidecar):
    path = _write(tmp_path / name, content)
    if sidecar:
        _write(tmp_path / (path.stem + ".meta.yaml"), sidecar)
    source = _read(path)
    assert (source.url, source.site) == ("", "")
    assert any("kb keeps only http and https addresses" in w for w in source.warnings)


def test_a_protocol_relative_url_is_kept_as_https(tmp_path):
    page = _write(
        tmp_path / "page.html",
        '<html><head><link rel="canonical" href="//example.org/a"></head>'
        "<body><p>Acupuncture may help back pain.</p></body></html>",
    )
    assert _read(page).url == "https://example.org/a"


FIXTURES = Path(__file__).parent / "fixtures"


def test_html_main_text_leaves_page_furniture_out_and_keeps_an_article_in_a_form():
    source = read_source(FileRef(FIXTURES / "article_in_form.html", "page"))
    assert "Paragraph one of the article" in source.text
    assert "Paragraph four of the article" in source.text
    # the sidebar, the menu and the footer are not the page's text
    for furniture in ("Related posts", "Ten tips", "Home News", "Copyright"):
        assert furniture not in source.text
    # headings stand apart and list items keep their markers, as segmentation expects
    assert "\n\nWhat it means\n\n• Sham needling helps" in source.text
    assert "\n• The effect fades" in source.text
    assert (source.author, source.date) == ("Ann Lee", "2024-03-01")


def test_html_hidden_parts_stay_out_of_the_extracted_main_text():
    words = "acupuncture was compared with sham needling in a trial of adults with back pain"
    page = parse_html(
        "<body><article>"
        + "".join(f"<p>Paragraph {i}: {words}.</p>" for i in range(3))
        + f"<p hidden>Hidden: {words}.</p><p style='display: none'>Unshown: {words}.</p>"
        + "</article></body>"
    )
    assert "Paragraph 2" in page.text
    assert "Hidden" not in page.text and "Unshown" not in page.text


def test_markdown_front_matter_is_metadata_not_statements():
    from kb.nlp.segment import split_units
    from kb.stages.segment import body_start

    source = read_source(FileRef(FIXTURES / "note_with_front_matter.md", "note"))
    assert source.title == "Fish oil and the heart"
    assert source.author == "Ann Lee; Bo Ma"
    assert (source.date, source.url, source.doi) == (
        "2023-05-01",
        "https://example.org/fish-oil",
        "10.1000/xyz.123",
    )
    # The text is the file (offsets index it exactly); its units start after the block.
    assert source.text.startswith("---\ntitle:")
    units = split_units(source.text, start=body_start(source))
    assert [u.text for u in units] == ["Notes", "Fish oil lowers triglycerides in adults."]
    assert all(source.text[u.start : u.end] == u.text for u in units)


def test_markdown_front_matter_that_is_not_yaml_is_a_warning_not_a_lost_note(tmp_path):
    path = _write(tmp_path / "n.md", "---\ntitle: [unclosed\n---\nFish oil lowers triglycerides.\n")
    source = read_source(FileRef(path, "n"))
    assert any("front matter is not valid YAML" in w for w in source.warnings)
    assert source.title == "Fish oil lowers triglycerides."


def test_html_citation_doi_is_the_source_doi(tmp_path):
    path = _write(
        tmp_path / "paper.html",
        '<meta name="citation_doi" content="doi:10.1000/ABC.9"><p>Needles help a little.</p>',
    )
    assert read_source(FileRef(path, "paper")).doi == "10.1000/abc.9"
