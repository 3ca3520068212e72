"""The device an example is told to use is the one torch in the kernel's Python can use."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from glossary_tools.notebooks import cache


@pytest.fixture(autouse=True)
def _fresh_probe() -> Iterator[None]:
    cache._torch_device.cache_clear()
    yield
    cache._torch_device.cache_clear()


def test_no_device_node_means_cpu_without_asking_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache.os.path, "exists", lambda path: False)
    monkeypatch.setattr(cache.subprocess, "run", lambda *a, **k: pytest.fail("torch was asked"))
    assert cache.detect_device() == "cpu"


@pytest.mark.parametrize("answer,device", [("cuda\n", "cuda"), ("cpu\n", "cpu"), ("", "cpu"), ("garbage", "cpu")])
def test_with_a_device_node_torch_decides(monkeypatch: pytest.MonkeyPatch, answer: str, device: str) -> None:
    """A GPU machine with a CPU-only torch build answers 'cpu' (nvidia-smi alone would say 'cuda')."""
    calls = []
    monkeypatch.setattr(cache.os.path, "exists", lambda path: path == "/dev/nvidiactl")

    def fake_run(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, stdout=answer, stderr="")

    monkeypatch.setattr(cache.subprocess, "run", fake_run)
    assert cache.detect_device() == device and cache.detect_device() == device
    assert len(calls) == 1  # asked once per process


def test_an_explicit_device_is_taken_as_given() -> None:
    assert cache.detect_device("cuda") == "cuda"
