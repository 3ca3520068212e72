"""How long 'glossary import' takes on a generated Obsidian vault (goal: 1,000 notes in <= 10 s on 2 cores).

Each note has front matter on one note in three, a heading, wiki links to other notes (some to
notes that do not exist), a tag naming a category, inline and display math, a callout, and an
embedded image (present in the vault for half of the notes). The import writes into a fresh
project in a temporary folder; then 'glossary check' runs on the result. Prints the figures; it is
not a timed test.

    python benchmarks/import_vault.py [--notes 1000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from glossary_tools.checks import run_all  # noqa: E402
from glossary_tools.importers.batch import ImportOptions, import_paths  # noqa: E402
from glossary_tools.loader import load_glossary  # noqa: E402
from glossary_tools.project import load_project  # noqa: E402

TAGS = ("models", "techniques", "training", "fundamentals", "rascunho")
SENTENCES = (
    "A rede aprende com os dados e ajusta os pesos das conexões em cada passo do treinamento.",
    "Cada camada combina as características da anterior em representações mais abstratas.",
    "O erro é medido por uma função de perda, que o gradiente ajuda a reduzir.",
    "Com poucos dados o modelo memoriza em vez de generalizar, e a validação mostra isso.",
)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
                    "9c63f8cf000000030101001800dd8db40000000049454e44ae426082")


def generate(vault: Path, notes: int, rng: random.Random) -> None:
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "anexos").mkdir()
    for i in range(notes):
        folder = vault / f"pasta-{i % 20}"
        folder.mkdir(exist_ok=True)
        links = " ".join(f"[[Nota {rng.randrange(notes + notes // 10)}]]" for _ in range(3))
        image = f"figura {i}.png"
        if i % 2 == 0:
            (vault / "anexos" / image).write_bytes(PNG + i.to_bytes(4, "big"))
        front = f"---\naliases: [apelido-{i}]\ntags: [{TAGS[i % len(TAGS)]}]\n---\n" if i % 3 == 0 else ""
        text = "\n\n".join(rng.choice(SENTENCES) + " " + rng.choice(SENTENCES) for _ in range(4))
        (folder / f"Nota {i}.md").write_text(
            f"{front}# Nota {i}\n\n{text}\n\nVeja também {links}.\n\n![[{image}]]\n\n"
            f"A perda é $L = \\sum_i (y_i - \\hat y_i)^2$.\n\n$$\nx_{{t+1}} = x_t - \\eta \\nabla L\n$$\n\n"
            f"> [!note] Observação\n> {rng.choice(SENTENCES)}\n\n#{TAGS[(i + 1) % len(TAGS)]}\n",
            encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project_dir = root / "project"
        (project_dir / "content" / "glossary").mkdir(parents=True)
        shutil.copy(REPO / "mkdocs.yml", project_dir / "mkdocs.yml")
        shutil.copy(REPO / "content" / "categories.yml", project_dir / "content" / "categories.yml")
        vault = root / "vault"
        generate(vault, args.notes, random.Random(0))
        project = load_project(project_dir)
        start = time.perf_counter()
        result = import_paths(project, [str(vault)], ImportOptions(lang="pt"))
        seconds = time.perf_counter() - start
        written = sum(1 for row in result.rows if not row.error)
        failed = sum(1 for row in result.rows if row.error)
        print(f"vault: {args.notes} notes, {len(list((vault / 'anexos').iterdir()))} images")
        print(f"import: {seconds:.2f} s ({written} written, {failed} failed; goal <= 10 s for 1,000 notes)")
        start = time.perf_counter()
        loaded = load_glossary(project)
        diagnostics = [*loaded.diagnostics, *run_all(project, loaded)]
        rules: dict[str, int] = {}
        for d in diagnostics:
            rules[d.rule.id] = rules.get(d.rule.id, 0) + 1
        print(f"check after import: {time.perf_counter() - start:.2f} s, {dict(sorted(rules.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
