"""The text of a glossary web page copied from a browser (.txt, or Markdown without front matter).

Site chrome (navigation, breadcrumbs, "back to glossary" lines, share and newsletter blocks, "latest
news" blocks, footers) is dropped in English, Portuguese and Spanish; the term, its category line,
the definition and named sections are kept; a "related terms" list becomes related names.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from .base import Document, ImportedEntry, ImportProblem, one_line, plain_title

NAME = "page"


def _line_re(*alternatives: str) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(alternatives) + ")$", re.I)


_BACK_RE = _line_re(r"(?:back to (?:the )?|voltar (?:ao|para o) |volver al |regresar al |ir al |ir para o )?"
                    r"(?:glossary|gloss[áa]rio|glosario)(?: a-z)?")
_NAV_RE = _line_re(r"home|in[íi]cio|menu|men[úu]|search|buscar|pesquisar|pesquisa|b[úu]squeda|skip to content|"
                   r"pular para o conte[úu]do|ir al contenido|log ?in|sign in|entrar|iniciar sesi[óo]n|"
                   r"previous|next|anterior|pr[óo]ximo|siguiente|top|topo|volver arriba|voltar ao topo|back to top")
_SHARE_RE = _line_re(r"(?:share|compartilhe|compartilhar|compartir|comparte)(?: (?:this|on|esta|este|isto|en|no|"
                     r"na|via|article|artigo|art[íi]culo|page|p[áa]gina|term|termo|t[ée]rmino))*:?",
                     r"facebook|twitter|x|linkedin|whatsapp|telegram|reddit|e-?mail|correo|tweet|pin it|"
                     r"copy link|copiar link|copiar enlace|link copiado|enlace copiado|link copied")
_NEWSLETTER_RE = re.compile(r"newsletter|subscribe|inscreva-se|assine|suscr[íi]bete|suscribirse|sign up|"
                            r"cadastre-se|reg[íi]strate|your e-?mail|seu e-?mail|tu (?:correo|e-?mail)|"
                            r"boletim|bolet[íi]n", re.I)
_FOOTER_RE = re.compile(r"©|\bcopyright\b|all rights reserved|todos os direitos reservados|"
                        r"todos los derechos reservados|privacy policy|pol[íi]tica de privacidad[e]?|"
                        r"terms of (?:use|service)|termos de uso|t[ée]rminos de uso|\bcookies?\b", re.I)
_NEWS_RE = _line_re(r"(?:latest|recent) (?:news|articles|posts)(?: (?:on|about) (?:this|the) (?:topic|subject))?|"
                    r"[úu]ltimas not[íi]cias(?: sobre o tema| sobre el tema)?|[úu]ltimas noticias(?: sobre el tema)?|"
                    r"not[íi]cias relacionadas|noticias relacionadas|related (?:articles|news|posts)|"
                    r"artigos relacionados|art[íi]culos relacionados|read (?:more|next)|leia (?:mais|tamb[ée]m)|"
                    r"leer m[áa]s|lee tambi[ée]n")
_BREADCRUMB_RE = re.compile(r"\s(?:>|›|»|/|→)\s")
_BREADCRUMB_WORDS = re.compile(r"home|in[íi]cio|glossary|gloss[áa]rio|glosario", re.I)
_RELATED_RE = _line_re(r"related terms?|termos relacionados|t[ée]rminos relacionados|related|relacionados|"
                       r"see also related terms")
_SECTION_RE = _line_re(r"examples?|exemplos?|ejemplos?|how it works|como funciona|c[óo]mo funciona|see also|"
                       r"veja tamb[ée]m|ver tamb[ée]n|history|hist[óo]ria|historia|applications?|aplica[çc](?:ão|ões)|"
                       r"aplicaci(?:ón|ones)|definition|defini[çc][ãa]o|definici[óo]n|in practice|na pr[áa]tica|"
                       r"en la pr[áa]ctica|advantages|vantagens|ventajas|limitations|limita[çc][õo]es|limitaciones|"
                       r"notes?|notas?")
_CATEGORY_PREFIX_RE = re.compile(r"^(?:category|categoria|categor[íi]a)\s*:\s*(.+)$", re.I)
_BULLET_RE = re.compile(r"^\s*(?:[-*+•·]|\d+[.)])\s+")


def _bare(line: str) -> str:
    """A line without Markdown heading marks, bullets, arrows, emphasis and a trailing colon."""
    text = line.strip().lstrip("#").strip()
    text = text.strip("*_ ").strip()
    text = re.sub(r"^[←<‹«↩]+\s*|\s*[→>›»]+$", "", text)
    return text.rstrip(":").strip()


def _is_chrome(line: str) -> bool:
    bare = _bare(line)
    if not bare:
        return False
    words = len(bare.split())
    if _BACK_RE.match(bare) or _NAV_RE.match(bare) or _SHARE_RE.match(bare):
        return True
    if words <= 15 and (_NEWSLETTER_RE.search(bare) or _FOOTER_RE.search(bare)):
        return True
    return words <= 10 and bool(_BREADCRUMB_RE.search(bare)) and bool(_BREADCRUMB_WORDS.search(bare))


def _chrome_score(body: str) -> int:
    return sum(1 for line in body.splitlines()[:400] if _is_chrome(line) or _NEWS_RE.match(_bare(line)))


def detect(doc: Document, path: PurePath) -> float:
    if doc.meta is not None or not any(c.isalpha() for c in doc.body):
        return 0.0
    if path.suffix.lower() == ".txt":
        return 0.7
    return 0.75 if _chrome_score(doc.body) >= 2 else 0.3


def _strip_chrome(lines: list[str]) -> list[str]:
    kept: list[str] = []
    in_news = False
    for line in lines:
        bare = _bare(line)
        if _NEWS_RE.match(bare):
            in_news = True
            continue
        if in_news:
            if _SECTION_RE.match(bare) or _RELATED_RE.match(bare):
                in_news = False
            else:
                continue
        if _is_chrome(line):
            continue
        kept.append(line)
    return kept


def _is_short(line: str) -> bool:
    bare = _bare(line)
    return 0 < len(bare) <= 80 and not bare.endswith((".", "!", "?", ";")) and len(bare.split()) <= 8


def convert(doc: Document, context: Any) -> ImportedEntry:
    lines = _strip_chrome(doc.body.replace("\r\n", "\n").split("\n"))
    title, category = None, None
    i = 0
    # The head: up to three short lines before the definition, the term and its category.
    while i < len(lines) and (title is None or category is None):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        bare = _bare(line)
        prefixed = _CATEGORY_PREFIX_RE.match(bare)
        if category is None and (prefixed or context.category_id(bare)):
            category = one_line(prefixed.group(1) if prefixed else bare)
        elif title is None and _is_short(line) and not _SECTION_RE.match(bare) and not _RELATED_RE.match(bare):
            title = plain_title(bare)
        else:
            break
        i += 1
    if not title:
        raise ImportProblem("no line names the term (a short line before the definition)")
    body: list[str] = []
    related: list[str] = []
    in_related = False
    for line in lines[i:]:
        bare = _bare(line)
        if _RELATED_RE.match(bare) and _is_short(line):
            in_related = True
            continue
        if in_related:
            if not line.strip():
                if related:
                    in_related = False
                continue
            if _SECTION_RE.match(bare) or not _is_short(line):
                in_related = False
            else:
                related.extend(one_line(_BULLET_RE.sub("", p)) for p in re.split(r"[,;]|\s·\s", line))
                continue
        if _SECTION_RE.match(bare) and _is_short(line):
            if body and body[-1].strip():
                body.append("")
            body.extend((f"## {bare}", ""))
            continue
        body.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()
    entry = ImportedEntry(doc.source, NAME, title, text + "\n", lang_text=text)
    entry.category = category
    entry.related_names = [name for name in related if name]
    return entry
