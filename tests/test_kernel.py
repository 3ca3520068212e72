"""The threads an example may give torch: its wish within the kernel's share of the cores."""

from __future__ import annotations

import pytest

from glossary_tools.notebooks import kernel


def test_a_wish_is_kept_within_the_share(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(kernel.VARIABLE, "3")
    assert kernel.share() == 3
    assert kernel.threads(2) == 2 and kernel.threads(8) == 3 and kernel.threads() == 3
    monkeypatch.setenv(kernel.VARIABLE, "1")
    assert kernel.threads(2) == 1


@pytest.mark.parametrize("value", ["", "0", "-2", "many"])
def test_without_a_share_every_core(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(kernel.VARIABLE, value)
    assert kernel.share() == kernel.cores()
    assert kernel.threads(1) == 1 and kernel.threads(10_000) == kernel.share()


def test_the_runner_sets_the_share_with_the_libraries_variables() -> None:
    from glossary_tools.notebooks.execute import kernel_env

    env = kernel_env(2)
    assert env is not None and env[kernel.VARIABLE] == env["OMP_NUM_THREADS"] == "2"
    assert kernel_env(None) is None  # one at a time: the kernel inherits this environment
