"""A small offline language detector for English, Portuguese and Spanish.

Two signals, both written here: function words (stop-words) that one language uses and the
others do not, and character-trigram profiles built from short reference texts. The detector
answers only when one language is clearly ahead; otherwise it returns None and the caller asks
for --lang. It is meant for glossary entries (a few hundred words of prose), not for chat lines.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are frequent in one language and rare or absent in the other two.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words("""the of and to is in that it for with as are on by this be an from at or which
        was were have has not can its their these they you your we our when what how into each than
        then there been would will does between only also such more most used uses using"""),
    "pt": _words("""não uma um os das dos do da ao aos às à é são em no na nos nas pelo pela pelos
        pelas o e ela ele elas eles mas nem lhe lhes num numa
        com isso esse essa este esta também seu sua seus suas você mais muito quando como
        entre cada já ou ser foi foram tem têm sobre até então após onde qual quais porque pode
        podem"""),
    "es": _words("""el los las del una un y es son en la al con por para su sus lo que se muy
        pero también cuando como entre cada ya o ser fue fueron tiene tienen sobre hasta entonces
        después donde cual cuales porque puede pueden más está están este esta ella él ellos ni le les"""),
}

# Short reference texts (written for this detector) whose trigrams make the profiles.
_REFERENCE = {
    "en": """A network learns by adjusting the weights of its connections after each batch of training
        examples. The loss function measures how far the predictions are from the correct answers, and
        the gradient tells which direction reduces it. When the model is evaluated on data it has never
        seen, we learn whether it generalises or only remembers the training set. Layers that are deeper
        in the network combine simpler features into more abstract ones, which is why depth matters.
        This technique is widely used with images, speech and text, and it needs a lot of data.""",
    "pt": """Uma rede aprende ajustando os pesos das suas conexões depois de cada lote de exemplos de
        treinamento. A função de perda mede quão longe as previsões estão das respostas corretas, e o
        gradiente indica a direção que a reduz. Quando o modelo é avaliado em dados que nunca viu,
        descobrimos se ele generaliza ou apenas memoriza o conjunto de treinamento. As camadas mais
        profundas da rede combinam características simples em outras mais abstratas, por isso a
        profundidade é importante. Essa técnica é usada com imagens, fala e texto, e não funciona bem
        sem muitos dados; também exige atenção à regularização e à validação das soluções.""",
    "es": """Una red aprende ajustando los pesos de sus conexiones después de cada lote de ejemplos de
        entrenamiento. La función de pérdida mide qué tan lejos están las predicciones de las respuestas
        correctas, y el gradiente indica la dirección que la reduce. Cuando el modelo se evalúa con datos
        que nunca ha visto, sabemos si generaliza o solo memoriza el conjunto de entrenamiento. Las capas
        más profundas de la red combinan características simples en otras más abstractas, por eso la
        profundidad es importante. Esta técnica se usa con imágenes, voz y texto, y necesita muchos datos;
        también exige atención a la regularización y a la validación de las soluciones españolas.""",
}

LANGUAGES = tuple(STOP_WORDS)
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_CODE_RE = re.compile(r"```.*?```|`[^`\n]*`|\$\$.*?\$\$|\]\([^)]*\)|https?://\S+", re.S)
MIN_WORDS = 8  # fewer words than this: too little text to tell
MARGIN = 0.15  # the best language must lead the second by this share of its score


@dataclass(frozen=True, slots=True)
class Guess:
    lang: str | None  # None: not sure
    scores: dict[str, float]

    def describe(self) -> str:
        return ", ".join(f"{lang} {score:.2f}" for lang, score in sorted(self.scores.items(), key=lambda kv: -kv[1]))


def _trigrams(words: list[str]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


@cache
def _profiles() -> dict[str, tuple[Counter[str], float]]:
    profiles = {}
    for lang, text in _REFERENCE.items():
        grams = _trigrams(_WORD_RE.findall(text.casefold()))
        profiles[lang] = (grams, math.sqrt(sum(v * v for v in grams.values())))
    return profiles


def detect(text: str, *, limit: int = 20_000) -> Guess:
    """The language of ``text`` (en, pt or es), or Guess(None, ...) when it is not clear."""
    words = _WORD_RE.findall(_CODE_RE.sub(" ", text[:limit]).casefold())
    if len(words) < MIN_WORDS:
        return Guess(None, dict.fromkeys(LANGUAGES, 0.0))
    counts = Counter(words)
    total = len(words)
    stop = {lang: sum(n for w, n in counts.items() if w in vocab) / total for lang, vocab in STOP_WORDS.items()}
    grams = _trigrams(words)
    norm = math.sqrt(sum(v * v for v in grams.values())) or 1.0
    scores = {}
    for lang, (profile, profile_norm) in _profiles().items():
        cosine = sum(n * profile[g] for g, n in grams.items() if g in profile) / (norm * profile_norm)
        scores[lang] = round(stop[lang] * 2 + cosine, 4)
    ranked = sorted(scores.values(), reverse=True)
    best = max(scores, key=lambda lang: scores[lang])
    sure = ranked[0] > 0 and (ranked[0] - ranked[1]) >= MARGIN * ranked[0]
    return Guess(best if sure else None, scores)
