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
# # An Inception block next to a plain convolution

# %% [markdown] lang="pt"
# # Um bloco Inception ao lado de uma convolução simples

# %% [markdown] lang="es"
# # Un bloque Inception junto a una convolución simple

# %% [markdown]
# We build a small Inception-style block as in GoogLeNet (Szegedy et al., 2014): parallel 1x1, 3x3 and 5x5
# convolutions plus a 3x3 max-pool branch, concatenated along the channel axis. We put it in a small network and
# train it on scikit-learn's 1,797 handwritten 8x8 digits, next to a plain convolutional network with about as
# many parameters. The claim we check: both train properly (at least 90% test accuracy) with parameter counts
# within 20% of each other. Which one comes out ahead is printed, not assumed.

# %% [markdown] lang="pt"
# Construímos um pequeno bloco no estilo Inception, como na GoogLeNet (Szegedy et al., 2014): convoluções 1x1,
# 3x3 e 5x5 em paralelo, mais um ramo de max-pooling 3x3, concatenados no eixo dos canais. Colocamos o bloco numa
# rede pequena e a treinamos nos 1.797 dígitos manuscritos 8x8 do scikit-learn, ao lado de uma rede convolucional
# simples com quase o mesmo número de parâmetros. O que verificamos: as duas treinam bem (pelo menos 90% de
# acurácia no teste), com contagens de parâmetros a menos de 20% uma da outra. Qual delas se sai melhor é
# impresso, não presumido.

# %% [markdown] lang="es"
# Construimos un pequeño bloque al estilo Inception, como en GoogLeNet (Szegedy et al., 2014): convoluciones 1x1,
# 3x3 y 5x5 en paralelo, más una rama de max-pooling 3x3, concatenadas en el eje de los canales. Lo ponemos en una
# red pequeña y la entrenamos con los 1.797 dígitos manuscritos de 8x8 de scikit-learn, junto a una red
# convolucional simple con casi el mismo número de parámetros. Lo que comprobamos: las dos entrenan bien (al
# menos un 90 % de exactitud en la prueba) y sus números de parámetros difieren en menos de un 20 %. Cuál de las
# dos queda por delante se imprime, no se da por hecho.

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

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
# The images are only 8x8: one thread avoids threading overhead and is faster here.
torch.set_num_threads(1)
device = torch.device(os.environ.get("GLOSSARY_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
EPOCHS = 10 if QUICK else 20
print(f"device: {device}, epochs: {EPOCHS}")

# %% [markdown]
# Split the digits 75% / 25% with a fixed seed, scale the pixels to 0..1 and keep them as 1-channel 8x8 images.

# %% [markdown] lang="pt"
# Separamos os dígitos em 75% / 25% com uma semente fixa, escalamos os pixels para 0..1 e os mantemos como
# imagens 8x8 de um canal.

# %% [markdown] lang="es"
# Separamos los dígitos en 75 % / 25 % con una semilla fija, escalamos los píxeles a 0..1 y los dejamos como
# imágenes de 8x8 de un canal.

# %%
X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X / 16.0, y, test_size=0.25, random_state=0, stratify=y)
X_train = torch.tensor(X_tr, dtype=torch.float32, device=device).reshape(-1, 1, 8, 8)
X_test = torch.tensor(X_te, dtype=torch.float32, device=device).reshape(-1, 1, 8, 8)
y_train = torch.tensor(y_tr, dtype=torch.long, device=device)
y_test = torch.tensor(y_te, dtype=torch.long, device=device)
print("train:", tuple(X_train.shape), "test:", tuple(X_test.shape))

# %% [markdown]
# The Inception block. As in GoogLeNet, cheap 1x1 convolutions shrink the channels before the 3x3 and 5x5
# convolutions, and project the pooled branch; padding keeps every branch at 8x8 so they can be stacked.

# %% [markdown] lang="pt"
# O bloco Inception. Como na GoogLeNet, convoluções 1x1 baratas reduzem os canais antes das convoluções 3x3 e
# 5x5 e projetam o ramo de pooling; o preenchimento (padding) mantém todos os ramos em 8x8 para poder empilhá-los.

# %% [markdown] lang="es"
# El bloque Inception. Como en GoogLeNet, convoluciones 1x1 baratas reducen los canales antes de las
# convoluciones 3x3 y 5x5 y proyectan la rama de pooling; el relleno (padding) deja todas las ramas en 8x8 para
# poder apilarlas.

# %%
class Inception(nn.Module):
    def __init__(self, c_in, c1, c3_reduce, c3, c5_reduce, c5, c_pool):
        super().__init__()
        self.branch1 = nn.Conv2d(c_in, c1, 1)
        self.branch3 = nn.Sequential(nn.Conv2d(c_in, c3_reduce, 1), nn.ReLU(), nn.Conv2d(c3_reduce, c3, 3, padding=1))
        self.branch5 = nn.Sequential(nn.Conv2d(c_in, c5_reduce, 1), nn.ReLU(), nn.Conv2d(c5_reduce, c5, 5, padding=2))
        self.branch_pool = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), nn.Conv2d(c_in, c_pool, 1))
        self.out_channels = {"1x1 conv": c1, "3x3 conv": c3, "5x5 conv": c5, "3x3 max-pool + 1x1": c_pool}

    def forward(self, x):
        branches = [self.branch1(x), self.branch3(x), self.branch5(x), self.branch_pool(x)]
        return torch.relu(torch.cat(branches, dim=1))  # concatenate along channels


def make_net(middle, c_mid):
    # stem conv -> middle block -> 2x2 max-pool -> linear classifier
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        middle,
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(c_mid * 4 * 4, 10),
    ).to(device)


inception_block = Inception(16, c1=8, c3_reduce=8, c3=16, c5_reduce=4, c5=8, c_pool=8)
c_incep = sum(inception_block.out_channels.values())
nets = {
    "inception": make_net(inception_block, c_incep),
    # the plain net: one ordinary 3x3 convolution, its width chosen to match the parameter count
    "plain conv": make_net(nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.ReLU()), 32),
}
n_params = {name: sum(p.numel() for p in net.parameters()) for name, net in nets.items()}
for name, n in n_params.items():
    print(f"{name:10s} parameters: {n:,}")
print("inception branch output channels:", inception_block.out_channels, "-> concatenated:", c_incep)

BRANCHES = {
    "en": {"ch": "ch", "x": "output channel (after concatenation)",
           "title": f"Inception block: 16 input channels\n-> {c_incep} output channels"},
    "pt": {"ch": "canais", "x": "canal de saída (após a concatenação)",
           "title": f"Bloco inception: 16 canais de entrada\n-> {c_incep} canais de saída"},
    "es": {"ch": "canales", "x": "canal de salida (tras la concatenación)",
           "title": f"Bloque inception: 16 canales de entrada\n-> {c_incep} canales de salida"},
}
for lang, t in figure_languages(BRANCHES):  # one row per branch, each bar spanning its channels
    fig, ax = plt.subplots(figsize=(6, 3.6))
    left = 0
    branches = list(inception_block.out_channels.items())
    for row, ((_, c), color) in enumerate(zip(branches, ["C0", "C1", "C2", "C3"], strict=True)):
        ax.barh(row, c, left=left, color=color, edgecolor="black")
        ax.text(left + c + 1, row, f"{c} {t['ch']}", va="center")
        left += c
    ax.set(xlabel=t["x"], yticks=range(len(branches)), yticklabels=[label for label, _ in branches],
           xlim=(0, left * 1.3), title=t["title"])
    ax.invert_yaxis()
    show(fig, lang=lang)

# %% [markdown]
# Train both networks the same way: Adam, learning rate 1e-3, mini-batches of 64, same seeds and batch order.

# %% [markdown] lang="pt"
# Treinamos as duas redes do mesmo jeito: Adam, taxa de aprendizado 1e-3, minilotes de 64, mesmas sementes e
# mesma ordem dos lotes.

# %% [markdown] lang="es"
# Entrenamos las dos redes de la misma manera: Adam, tasa de aprendizaje 1e-3, minilotes de 64, mismas semillas
# y mismo orden de los lotes.

# %%
def accuracy(model):
    model.eval()
    with torch.no_grad():
        return (model(X_test).argmax(1) == y_test).float().mean().item()


history = {}
for name, model in nets.items():
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(0)
    history[name] = []
    for _ in range(EPOCHS):
        model.train()
        order = torch.randperm(len(X_train), generator=gen).to(device)
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            loss = nn.functional.cross_entropy(model(X_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        history[name].append(accuracy(model))
    print(f"{name:10s} test accuracy: {history[name][-1]:.1%}")

acc_incep, acc_plain = history["inception"][-1], history["plain conv"][-1]
diff = acc_incep - acc_plain
print(f"difference (inception - plain): {diff * 100:+.1f} percentage points "
      f"({round(abs(diff) * len(y_test))} of {len(y_test)} test digits)")

CURVES = {
    "en": {"inception": "inception", "plain conv": "plain conv", "params": "params", "x": "epoch",
           "y": "test accuracy", "title": "Inception block vs plain convolution"},
    "pt": {"inception": "inception", "plain conv": "convolução simples", "params": "parâmetros", "x": "época",
           "y": "acurácia no teste", "title": "Bloco inception vs convolução simples"},
    "es": {"inception": "inception", "plain conv": "convolución simple", "params": "parámetros", "x": "época",
           "y": "exactitud de prueba", "title": "Bloque inception vs convolución simple"},
}
for lang, t in figure_languages(CURVES):
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for name, accs in history.items():
        ax.plot(range(1, EPOCHS + 1), accs, marker="o", markersize=3,
                label=f"{t[name]} ({n_params[name]:,} {t['params']})")
    ax.set(xlabel=t["x"], ylabel=t["y"], title=t["title"])
    ax.legend()
    show(fig, lang=lang)

# %%
ratio = n_params["inception"] / n_params["plain conv"]
assert 1 / 1.2 <= ratio <= 1.2, f"parameter counts {n_params} are not within 20% of each other"
assert acc_incep >= 0.90 and acc_plain >= 0.90, (
    f"test accuracies inception {acc_incep:.3f}, plain {acc_plain:.3f}: not both at least 0.90")
say({
    "en": f"claim holds: both >= 90% (inception {acc_incep:.1%}, plain {acc_plain:.1%}), parameter ratio {ratio:.2f}",
    "pt": f"a afirmação se confirma: ambas >= 90% (inception {acc_incep:.1%}, simples {acc_plain:.1%}), razão entre "
          f"os parâmetros {ratio:.2f}",
    "es": f"la afirmación se cumple: ambas >= 90 % (inception {acc_incep:.1%}, simple {acc_plain:.1%}), razón entre "
          f"los parámetros {ratio:.2f}",
})
