"""ROUGE-1 of rouge-score (Google's reference implementation) for the test:
reads a JSON list of [reference, candidate] pairs, prints one line per
pair: precision, recall and F as float.hex, so the comparison is exact.
Exit 3 when rouge-score is missing (the test then skips with the reason)."""
import json
import sys

try:
    from rouge_score import rouge_scorer
except ImportError as error:  # the test skips, naming what is missing
    print(f"rouge-score not installed: {error}", file=sys.stderr)
    sys.exit(3)

scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=False)
pairs = json.load(open(sys.argv[1], encoding="utf-8"))
out = []
for reference, candidate in pairs:
    s = scorer.score(reference, candidate)["rouge1"]
    out.append(f"{s.precision.hex()} {s.recall.hex()} {s.fmeasure.hex()}")
print("\n".join(out))
