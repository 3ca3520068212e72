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
# # Batch normalization speeds up training of a deep network

# %% [markdown] lang="pt"
# # A normalização em lote acelera o treino de uma rede profunda

# %% [markdown] lang="es"
# # La normalización por lotes acelera el entrenamiento de una red profunda

# %% [markdown]
# We train the same 10-layer MLP on the 8x8 scikit-learn digits twice, with and without batch normalization
# after each hidden linear layer, using the same optimizer (Adam, learning rate 0.001), the same initial
# weights (PyTorch's default initialisation) and the same mini-batches. We check that the network with batch
# normalization reaches a target training loss in fewer steps.

# %% [markdown] lang="pt"
# Treinamos duas vezes o mesmo MLP de 10 camadas com os dígitos 8x8 do scikit-learn, com e sem normalização
# em lote depois de cada camada linear oculta, usando o mesmo otimizador (Adam, taxa de aprendizado 0,001), os
# mesmos pesos iniciais (a inicialização padrão do PyTorch) e os mesmos minilotes. Verificamos que a rede com
# normalização em lote atinge uma perda de treino alvo em menos passos.

# %% [markdown] lang="es"
# Entrenamos dos veces el mismo MLP de 10 capas con los dígitos 8x8 de scikit-learn, con y sin normalización
# por lotes después de cada capa lineal oculta, con el mismo optimizador (Adam, tasa de aprendizaje 0,001),
# los mismos pesos iniciales (la inicialización por defecto de PyTorch) y los mismos minilotes. Comprobamos
# que la red con normalización por lotes alcanza una pérdida de entrenamiento objetivo en menos pasos.

# %%
import os
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from glossary_tools.notebooks.i18n import figure_languages, say, show
from glossary_tools.notebooks.kernel import threads

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
torch.set_num_threads(threads(2))  # within the share the runner gives this kernel
device = torch.device(os.environ.get("GLOSSARY_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
STEPS = 500 if QUICK else 2000
TARGET = 0.1  # training loss (cross-entropy) to reach
print(f"device: {device}, training steps: {STEPS}, target loss: {TARGET}")

X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X / 16.0, y, test_size=0.25, random_state=0, stratify=y)
X_tr = torch.tensor(X_tr, dtype=torch.float32, device=device)
y_tr = torch.tensor(y_tr, device=device)

# %% [markdown]
# Nine hidden layers of 64 ReLU units and a linear output layer. With batch normalization, each hidden
# layer's outputs are normalized over the mini-batch before the ReLU.

# %% [markdown] lang="pt"
# Nove camadas ocultas de 64 unidades ReLU e uma camada de saída linear. Com normalização em lote, as saídas
# de cada camada oculta são normalizadas sobre o minilote antes da ReLU.

# %% [markdown] lang="es"
# Nueve capas ocultas de 64 unidades ReLU y una capa de salida lineal. Con normalización por lotes, las
# salidas de cada capa oculta se normalizan sobre el minilote antes de la ReLU.

# %%
def make_net(batch_norm, depth=10, width=64):
    layers, d = [], 64
    for _ in range(depth - 1):
        layers.append(nn.Linear(d, width))
        if batch_norm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU())
        d = width
    layers.append(nn.Linear(d, 10))
    return nn.Sequential(*layers).to(device)


# %% [markdown]
# We record the loss of every mini-batch and smooth it with an exponential moving average, so that one
# lucky batch does not count as reaching the target.

# %% [markdown] lang="pt"
# Registramos a perda de cada minilote e a suavizamos com uma média móvel exponencial, para que um único
# minilote com sorte não conte como ter atingido o alvo.

# %% [markdown] lang="es"
# Registramos la pérdida de cada minilote y la suavizamos con una media móvil exponencial, para que un solo
# minilote con suerte no cuente como haber alcanzado el objetivo.

# %%
curves, smoothed, steps_to_target = {}, {}, {}
for name, bn in [("plain", False), ("batch norm", True)]:
    torch.manual_seed(0)  # identical initial linear weights in both nets
    net = make_net(bn)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(0)  # identical mini-batches
    curves[name], smoothed[name], steps_to_target[name] = [], [], float("inf")
    order, pos, ema = torch.randperm(len(X_tr), generator=gen), 0, None
    for step in range(1, STEPS + 1):
        if pos + 64 > len(order):  # new epoch: reshuffle
            order, pos = torch.randperm(len(X_tr), generator=gen), 0
        batch = order[pos:pos + 64].to(device)
        pos += 64
        loss = nn.functional.cross_entropy(net(X_tr[batch]), y_tr[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ema = loss.item() if ema is None else 0.9 * ema + 0.1 * loss.item()
        curves[name].append(loss.item())
        smoothed[name].append(ema)
        if ema < TARGET and steps_to_target[name] == float("inf"):
            steps_to_target[name] = step
    reached = steps_to_target[name]
    print(f"{name:10s} reaches smoothed loss < {TARGET} at step: "
          f"{reached if reached < float('inf') else f'never in {STEPS} steps (counted as infinity)'}; "
          f"final smoothed loss {ema:.3f}")

# %%
LABELS = {
    "en": {"plain": "plain", "batch norm": "batch norm", "smoothed": "smoothed", "target": "target loss",
           "x": "training step (mini-batch of 64)", "y": "training loss (cross-entropy)",
           "title": "10-layer MLP on 8x8 digits,\nwith and without batch norm"},
    "pt": {"plain": "simples", "batch norm": "normalização em lote", "smoothed": "suavizada", "target": "perda-alvo",
           "x": "passo de treino (minilote de 64)", "y": "perda no treino (entropia cruzada)",
           "title": "MLP de 10 camadas em dígitos 8x8,\ncom e sem normalização em lote"},
    "es": {"plain": "simple", "batch norm": "normalización por lotes", "smoothed": "suavizada",
           "target": "pérdida objetivo", "x": "paso de entrenamiento (minilote de 64)",
           "y": "pérdida de entrenamiento (entropía cruzada)",
           "title": "MLP de 10 capas con dígitos 8x8,\ncon y sin normalización por lotes"},
}
for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for (name, raw), color in zip(curves.items(), ["tab:red", "tab:blue"]):
        ax.plot(range(1, STEPS + 1), raw, color=color, alpha=0.2, lw=0.8)
        ax.plot(range(1, STEPS + 1), smoothed[name], color=color, label=f"{t[name]} ({t['smoothed']})")
        if steps_to_target[name] < float("inf"):
            ax.axvline(steps_to_target[name], color=color, ls=":", lw=1)
    ax.axhline(TARGET, color="k", ls="--", lw=1, label=f"{t['target']} {TARGET}")
    ax.set(xlabel=t["x"], ylabel=t["y"], yscale="log", title=t["title"])
    ax.legend()
    show(fig, lang=lang)

# %%
assert steps_to_target["batch norm"] < steps_to_target["plain"], (
    f"batch norm needed {steps_to_target['batch norm']} steps, plain {steps_to_target['plain']}")
say({
    "en": f"claim holds: batch norm reaches the target in {steps_to_target['batch norm']} steps, "
          f"plain in {steps_to_target['plain']}",
    "pt": f"a afirmação se confirma: com normalização em lote a rede atinge o alvo em "
          f"{steps_to_target['batch norm']} passos, sem ela em {steps_to_target['plain']}",
    "es": f"la afirmación se cumple: con normalización por lotes la red alcanza el objetivo en "
          f"{steps_to_target['batch norm']} pasos, sin ella en {steps_to_target['plain']}",
})
