#!/usr/bin/env python3
"""Debian's package descriptions as a document -> one-line-summary corpus.

Input: the main archive's English translation index (Translation-en, as apt
fetches it; `make data` does). Each stanza carries a package name and its
description: a one-line synopsis, then the long description, one line per
line beginning with a space, " ." standing for an empty line.

Output (JSON Lines, one pair a line, sorted by id):
    {"id": PACKAGE, "article": LONG, "summary": SYNOPSIS, "split": "train"|"test"}
and a manifest (JSON) with the input's sha256 and the counts.

* article = the long description: the lines of a paragraph joined by single
  spaces, paragraphs by "\n"; summary = the synopsis, stripped.
* Many packages share one long description (foo, foo-data, foo-doc): the
  corpus keeps each distinct article once, under the first package name in
  byte order, so that no article is both in train and in test.
* split: "test" when the first 8 bytes of sha256(package name), read as a
  big-endian integer, are 0 mod 10 (10 %), else "train": fixed by the name,
  so the split never moves when packages come or go.
"""
import hashlib
import json
import statistics
import sys


def stanzas(text):
    package, lines = None, None
    for raw in text.split("\n"):
        if raw.startswith("Package: "):
            package = raw[len("Package: "):].strip()
        elif raw.startswith("Description-en: "):
            lines = [raw[len("Description-en: "):]]
        elif raw.startswith(" ") and lines is not None:
            lines.append(raw[1:])
        elif raw == "":
            if package is not None and lines is not None:
                yield package, lines
            package, lines = None, None
        elif lines is not None and not raw.startswith(" "):
            # another field after the description ends it
            if package is not None:
                yield package, lines
            package, lines = None, None
    if package is not None and lines is not None:
        yield package, lines


def article_of(lines):
    paragraphs, current = [], []
    for line in lines:
        if line.strip() == ".":
            if current:
                paragraphs.append(" ".join(current))
            current = []
        else:
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(p for p in paragraphs if p)


def split_of(package):
    digest = hashlib.sha256(package.encode("utf-8")).digest()
    return "test" if int.from_bytes(digest[:8], "big") % 10 == 0 else "train"


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: prepare_debian_corpus.py TRANSLATION_EN OUT_JSONL OUT_MANIFEST")
    source, out_path, manifest_path = sys.argv[1:]
    data = open(source, "rb").read()
    text = data.decode("utf-8")
    by_article = {}
    stanza_count = 0
    for package, lines in stanzas(text):
        stanza_count += 1
        summary = lines[0].strip()
        article = article_of(lines[1:])
        if not summary or not article:
            continue
        kept = by_article.get(article)
        if kept is None or package.encode() < kept[0].encode():
            by_article[article] = (package, summary)
    rows = sorted(((p, a, s) for a, (p, s) in by_article.items()), key=lambda r: r[0].encode())
    counts = {"train": 0, "test": 0}
    with open(out_path, "w", encoding="utf-8") as out:
        for package, article, summary in rows:
            split = split_of(package)
            counts[split] += 1
            out.write(json.dumps({"id": package, "article": article, "summary": summary, "split": split},
                                 ensure_ascii=False) + "\n")
    words = lambda s: len(s.split())
    manifest = {
        "source": "Debian main Translation-en (apt index)",
        "source_sha256": hashlib.sha256(data).hexdigest(),
        "stanzas": stanza_count,
        "pairs": len(rows),
        "train": counts["train"],
        "test": counts["test"],
        "median_article_words": statistics.median(words(r[1]) for r in rows),
        "median_summary_words": statistics.median(words(r[2]) for r in rows),
        "pairs_sha256": hashlib.sha256(open(out_path, "rb").read()).hexdigest(),
    }
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(manifest, sort_keys=True))


if __name__ == "__main__":
    main()
