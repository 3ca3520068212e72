"""The plugin's MkDocs config schema, generated from the one option table (glossary_tools.options)."""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config.base import ValidationError

from ..options import OPTIONS, Option, OptionError


class _Checked(base.BaseConfigOption[Any]):
    """A MkDocs config option validated by our Option (same rules, same messages as 'glossary check')."""

    def __init__(self, option: Option) -> None:
        super().__init__()
        self.option = option
        self.default = option.default

    def run_validation(self, value: object) -> Any:
        try:
            return self.option.validate(value)
        except OptionError as exc:
            raise ValidationError(str(exc)) from None


class GlossaryConfig(base.Config):
    """One MkDocs option per entry of the table; values are read through Project, not here."""

    locals().update({o.name: _Checked(o) for o in OPTIONS})
