"""Write the generated relational corpus and its analogy questions as text files.

    python data_scripts/make_relational_corpus.py OUT_DIR [--sentences N] [--seed S]

``corpus.txt`` holds one sentence a line; ``questions-words.txt`` uses the format of
word2vec's analogy file (``: family`` headers, then ``a b c d`` lines), so that
gensim's ``KeyedVectors.evaluate_word_analogies`` can read it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course_utils.core.files import write_text_atomically
from course_utils.worlds.relational_text import analogy_questions, relational_corpus


def write_questions(path: Path) -> int:
    lines, family = [], None
    questions = analogy_questions()
    for name, a, b, c, d in questions:
        if name != family:
            lines.append(f": {name}")
            family = name
        lines.append(f"{a} {b} {c} {d}")
    write_text_atomically(path, "\n".join(lines) + "\n")  # a failed write keeps the good file
    return len(questions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the relational corpus.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--sentences", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.sentences < 1:
        parser.error(f"--sentences must be at least 1 (got {args.sentences})")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    sentences = relational_corpus(args.sentences, seed=args.seed)
    write_text_atomically(args.out_dir / "corpus.txt", "\n".join(" ".join(s) for s in sentences) + "\n")
    count = write_questions(args.out_dir / "questions-words.txt")
    print(f"{len(sentences)} sentences and {count} analogy questions in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
