"""The repository stands alone (issue 19): a clone anywhere has every document its files cite.

Two rules over every file git knows of (tracked, or new and not ignored):
- no file refers to a path outside the repository: an absolute /work/... path, a relative ../ path
  that climbs out of the checkout (../shared, ../.library), or a bare name of one of the handouts
  that lived beside it (contracts.md, domain.md, reliability.md, style.md, ...), which a reader
  elsewhere cannot open;
- every `docs/<name>.md §N` (or `docs/style.md item N`) names a document that exists and a section
  heading (or numbered item) that exists in it, so a renumbered document cannot leave code pointing
  at nothing.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THIS = Path(__file__).resolve().relative_to(ROOT).as_posix()

# The documents that used to live in a folder beside the repository; the project's own copies are
# docs/<name>.md, so a bare name (not after a slash) means the outside file.
HANDOUTS = ("contracts", "domain", "reliability", "style", "features", "procedures", "console")
BARE_HANDOUT = re.compile(r"(?<![\w/.-])(?P<name>(?:%s)\.md)" % "|".join(HANDOUTS))
ABSOLUTE_WORK = re.compile(r"(?<![\w.-])/work/[\w.-]+(?:/[\w.-]+)*")
CLIMBING = re.compile(r"(?<![\w.])(?:\.\./)+[\w.-]+(?:/[\w.-]+)*")
MARKDOWN_LINK_BEFORE = re.compile(r"\]\($")

NUMBER = r"\d+(?:\.\d+)*"
# "docs/contracts.md §4.1", "docs/contracts.md §4.1, §4.2", "docs/domain.md §2.4 and §5.3", a citation
# broken over a comment line ("docs/reliability.md\n# §2.2"), or "docs/style.md item 18".
CITATION = re.compile(
    r"docs/(?P<doc>[\w-]+)\.md`?[\s#*]*"
    r"(?:(?P<sections>§\s?%(n)s(?:\s*(?:,|and|or)\s*§\s?%(n)s)*)"
    r"|items?\s+(?P<items>\d+(?:\s*(?:,|and|or)\s*\d+)*))" % {"n": NUMBER})
HEADING = re.compile(r"^#{1,6}\s+(?P<number>%s)[.\s]" % NUMBER, re.MULTILINE)
LIST_ITEM = re.compile(r"^\s{0,3}(?P<number>\d+)\.\s", re.MULTILINE)


def repository_files() -> list[str]:
    """Tracked files and new ones not ignored: a file a helper has just added counts too."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return sorted({name for name in listed.split("\0") if name and (ROOT / name).is_file()})


def text_of(name: str) -> str | None:
    raw = (ROOT / name).read_bytes()
    if b"\0" in raw:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def texts() -> dict[str, str]:
    return {name: text for name in repository_files() if name != THIS and (text := text_of(name)) is not None}


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def outside_references(name: str, text: str) -> list[str]:
    """`path:line: reference` for each reference in `text` (the content of file `name`) to a path
    outside the repository."""
    found = []
    folder = (ROOT / name).parent
    for match in ABSOLUTE_WORK.finditer(text):
        found.append((match.start(), match.group()))
    for match in CLIMBING.finditer(text):
        # Relative to the file that holds it, as a link or an open() beside it would resolve it:
        # ../shared/motcua_shared from docs/ is the project's own library, from the root it is not.
        if not (folder / match.group()).resolve().is_relative_to(ROOT):
            found.append((match.start(), match.group()))
    for match in BARE_HANDOUT.finditer(text):
        linked = MARKDOWN_LINK_BEFORE.search(text, 0, match.start())
        if linked and (folder / match.group("name")).is_file():
            continue  # a Markdown link to a sibling document, e.g. contracts.md -> (domain.md)
        found.append((match.start(), match.group()))
    return [f"{name}:{line_of(text, offset)}: {reference}" for offset, reference in sorted(found)]


def citations(text: str) -> list[tuple[int, str, str, str]]:
    """(offset, document name, "§" or "item", number) for each citation of an in-repository document."""
    cited = []
    for match in CITATION.finditer(text):
        if match.group("sections"):
            cited += [(match.start(), match.group("doc"), "§", number)
                      for number in re.findall(NUMBER, match.group("sections"))]
        else:
            cited += [(match.start(), match.group("doc"), "item", number)
                      for number in re.findall(r"\d+", match.group("items"))]
    return cited


def anchors(document: str) -> dict[str, set[str]]:
    return {"§": {m.group("number") for m in HEADING.finditer(document)},
            "item": {m.group("number") for m in LIST_ITEM.finditer(document)}}


def broken_citations(name: str, text: str, documents: dict[str, str | None]) -> list[str]:
    broken = []
    for offset, doc, kind, number in citations(text):
        path = f"docs/{doc}.md"
        if path not in documents:
            documents[path] = (ROOT / path).read_text(encoding="utf-8") if (ROOT / path).is_file() else None
        if documents[path] is None:
            broken.append(f"{name}:{line_of(text, offset)}: {path} does not exist")
        elif number not in anchors(documents[path])[kind]:
            broken.append(f"{name}:{line_of(text, offset)}: {path} has no {kind} {number}")
    return broken


def test_no_file_refers_to_a_path_outside_the_repository():
    found = [reference for name, text in texts().items() for reference in outside_references(name, text)]
    assert found == [], "references to paths outside the repository:\n" + "\n".join(found)


def test_every_cited_section_exists():
    documents: dict[str, str | None] = {}
    all_texts = texts()
    cited = sum(len(citations(text)) for text in all_texts.values())
    broken = [line for name, text in all_texts.items() for line in broken_citations(name, text, documents)]
    assert broken == [], "citations of sections that do not exist:\n" + "\n".join(broken)
    # Guards the pattern itself: code cites these documents dozens of times.
    assert cited > 50


def test_the_checks_recognise_what_they_must():
    """The rules applied to sample text, so that a pattern that matches nothing cannot pass above."""
    assert [r.split(": ", 1)[1] for r in outside_references("README.md", (
        "see `../shared/contracts.md` or /work/shared/domain.md\n"
        "and reliability.md §1.4, not ../.library/env\n"
        "fine: docs/contracts.md §4, shared/motcua_shared, https://example.org/work/x"))] == [
        "../shared/contracts.md", "/work/shared/domain.md", "reliability.md", "../.library/env"]
    # A link from docs/ into the repository's own library, and between sibling documents, stays inside.
    assert outside_references("docs/reference-data.md",
                              "[units](../shared/motcua_shared/reference/data/README.md) "
                              "[rules](domain.md)") == []
    assert [(doc, kind, number) for _, doc, kind, number in citations(
        "(docs/contracts.md §4.1, §4.2) docs/domain.md §2.4 and §5.3; docs/reliability.md\n"
        "# §2.2 and `docs/contracts.md` §3. docs/style.md item 18")] == [
        ("contracts", "§", "4.1"), ("contracts", "§", "4.2"), ("domain", "§", "2.4"), ("domain", "§", "5.3"),
        ("reliability", "§", "2.2"), ("contracts", "§", "3"), ("style", "item", "18")]
    documents = {"docs/contracts.md": "# Title\n## 4. Messages\n### 4.1 Province\n- 1. not a heading\n",
                 "docs/nowhere.md": None}
    assert [line.split(": ", 1)[1] for line in broken_citations(
        "x.py", "docs/contracts.md §4.1 docs/contracts.md §4.3 docs/nowhere.md §1", documents)] == [
        "docs/contracts.md has no § 4.3", "docs/nowhere.md does not exist"]
