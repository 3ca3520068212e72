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
# # Residual connections let a 50-layer network train

# %% [markdown] lang="pt"
# # Conexões residuais permitem treinar uma rede de 50 camadas

# %% [markdown] lang="es"
# # Las conexiones residuales permiten entrenar una red de 50 capas

# %% [markdown]
# We train two networks with 50 hidden layers, each 64 units wide with ReLU, on scikit-learn's 1,797 handwritten
# 8x8 digits: a plain stack, and the same layers grouped in pairs with a skip connection around each pair.
# The claim we check is the ResNet result (He et al., 2015) at small scale: with the same optimiser, the
# residual network reaches at least 85% test accuracy while the plain one stalls near chance (at most 25%).

# %% [markdown] lang="pt"
# Treinamos duas redes com 50 camadas ocultas, cada uma com 64 unidades e ReLU, nos 1.797 dígitos manuscritos
# 8x8 do scikit-learn: uma pilha simples e as mesmas camadas agrupadas em pares, com um atalho em volta de cada
# par. O que verificamos é o resultado das ResNets (He et al., 2015) em escala pequena: com o mesmo otimizador, a
# rede residual chega a pelo menos 85% de acurácia no teste, enquanto a simples empaca perto do acaso (no máximo
# 25%).

# %% [markdown] lang="es"
# Entrenamos dos redes con 50 capas ocultas, de 64 unidades y ReLU cada una, con los 1.797 dígitos manuscritos
# de 8x8 de scikit-learn: una pila simple y las mismas capas agrupadas de dos en dos, con un atajo alrededor de
# cada par. Comprobamos el resultado de las ResNet (He et al., 2015) a pequeña escala: con el mismo optimizador,
# la red residual llega al menos al 85 % de exactitud en la prueba y la simple se estanca cerca del azar (como
# mucho, 25 %).

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
# These layers are tiny (64 x 64): one thread avoids threading overhead and is faster here.
torch.set_num_threads(1)
device = torch.device(os.environ.get("GLOSSARY_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
EPOCHS = 8 if QUICK else 30
DEPTH = 50  # hidden 64 -> 64 layers, in both networks
print(f"device: {device}, epochs: {EPOCHS}, hidden layers: {DEPTH}")

# %% [markdown]
# Split the digits 75% / 25% with a fixed seed and standardize the pixels with statistics from the training set.

# %% [markdown] lang="pt"
# Separamos os dígitos em 75% / 25% com uma semente fixa e padronizamos os pixels com estatísticas do treino.

# %% [markdown] lang="es"
# Separamos los dígitos en 75 % / 25 % con una semilla fija y estandarizamos los píxeles con estadísticas del
# conjunto de entrenamiento.

# %%
X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
mean, std = X_tr.mean(), X_tr.std()
X_train = torch.tensor((X_tr - mean) / std, dtype=torch.float32, device=device)
X_test = torch.tensor((X_te - mean) / std, dtype=torch.float32, device=device)
y_train = torch.tensor(y_tr, dtype=torch.long, device=device)
y_test = torch.tensor(y_te, dtype=torch.long, device=device)
print("train:", tuple(X_train.shape), "test:", tuple(X_test.shape))

# %% [markdown]
# Both networks use the same layers and PyTorch's default initialisation. The only differences: the residual
# block adds its input back, `relu(x + W2 relu(W1 x))`, and its branch's last layer `W2` starts at zero, so every
# block begins as the identity and the signal reaches the output undamped.

# %% [markdown] lang="pt"
# As duas redes usam as mesmas camadas e a inicialização padrão do PyTorch. As únicas diferenças: o bloco
# residual soma de volta a sua entrada, `relu(x + W2 relu(W1 x))`, e a última camada do ramo, `W2`, começa em
# zero; assim cada bloco começa como a identidade e o sinal chega à saída sem se atenuar.

# %% [markdown] lang="es"
# Las dos redes usan las mismas capas y la inicialización por defecto de PyTorch. Las únicas diferencias: el
# bloque residual vuelve a sumar su entrada, `relu(x + W2 relu(W1 x))`, y la última capa de la rama, `W2`, empieza
# en cero; así cada bloque empieza siendo la identidad y la señal llega a la salida sin atenuarse.

# %%
class Block(nn.Module):
    """Two 64 -> 64 layers; with residual=True a skip connection goes around them."""

    def __init__(self, residual, width=64):
        super().__init__()
        self.residual = residual
        self.fc1, self.fc2 = nn.Linear(width, width), nn.Linear(width, width)
        if residual:  # start the branch at zero: the block is the identity at first
            nn.init.zeros_(self.fc2.weight)
            nn.init.zeros_(self.fc2.bias)

    def forward(self, x):
        h = self.fc2(torch.relu(self.fc1(x)))
        return torch.relu(x + h) if self.residual else torch.relu(h)


def make_net(residual):
    torch.manual_seed(0)  # same starting weights for both (apart from the zeroed W2)
    blocks = [Block(residual) for _ in range(DEPTH // 2)]
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), *blocks, nn.Linear(64, 10)).to(device)


def train(model):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    gen = torch.Generator().manual_seed(0)  # same mini-batch order for both nets
    losses = []
    for _ in range(EPOCHS):
        model.train()
        order = torch.randperm(len(X_train), generator=gen).to(device)
        total = 0.0
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            loss = nn.functional.cross_entropy(model(X_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        losses.append(total / len(X_train))
    model.eval()
    with torch.no_grad():
        acc = (model(X_test).argmax(1) == y_test).float().mean().item()
    return losses, acc

# %% [markdown]
# Train both with the same optimiser: SGD, learning rate 0.01, momentum 0.9, mini-batches of 64.

# %% [markdown] lang="pt"
# Treinamos as duas com o mesmo otimizador: SGD, taxa de aprendizado 0,01, momento 0,9, minilotes de 64.

# %% [markdown] lang="es"
# Entrenamos las dos con el mismo optimizador: SGD, tasa de aprendizaje 0,01, momento 0,9, minilotes de 64.

# %%
results = {}
for name, residual in [("plain", False), ("residual", True)]:
    model = make_net(residual)
    n_params = sum(p.numel() for p in model.parameters())
    losses, acc = train(model)
    results[name] = (losses, acc)
    print(f"{name:8s}  parameters {n_params:,}  final training loss {losses[-1]:.4f}  test accuracy {acc:.1%}")

plain_acc, residual_acc = results["plain"][1], results["residual"][1]

LABELS = {
    "en": {"plain": "plain", "residual": "residual", "acc": "test acc", "chance": "chance level, ln 10",
           "x": "epoch", "y": "training loss (cross-entropy)", "title": f"{DEPTH} hidden layers: plain vs residual"},
    "pt": {"plain": "simples", "residual": "residual", "acc": "acurácia no teste", "chance": "nível do acaso, ln 10",
           "x": "época", "y": "perda no treino (entropia cruzada)",
           "title": f"{DEPTH} camadas ocultas: simples vs residual"},
    "es": {"plain": "simple", "residual": "residual", "acc": "exactitud en prueba", "chance": "nivel del azar, ln 10",
           "x": "época", "y": "pérdida de entrenamiento (entropía cruzada)",
           "title": f"{DEPTH} capas ocultas: simple vs residual"},
}
for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for name, (losses, acc) in results.items():
        ax.plot(range(1, EPOCHS + 1), losses, marker="o", markersize=3, label=f"{t[name]} ({t['acc']} {acc:.0%})")
    ax.axhline(np.log(10), color="gray", linestyle=":", label=t["chance"])
    ax.set(xlabel=t["x"], ylabel=t["y"], yscale="log", title=t["title"])
    ax.legend()
    show(fig, lang=lang)

# %%
assert residual_acc >= 0.85, f"residual test accuracy {residual_acc:.3f} is below the 0.85 this example requires"
assert plain_acc <= 0.25, f"plain test accuracy {plain_acc:.3f} is above the 0.25 this example allows"
say({
    "en": f"claim holds: residual {residual_acc:.1%} >= 85%, plain {plain_acc:.1%} <= 25%",
    "pt": f"a afirmação se confirma: residual {residual_acc:.1%} >= 85%, simples {plain_acc:.1%} <= 25%",
    "es": f"la afirmación se cumple: residual {residual_acc:.1%} >= 85 %, simple {plain_acc:.1%} <= 25 %",
})
