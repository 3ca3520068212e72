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
# # SGD, momentum and Adam on the same network

# %% [markdown] lang="pt"
# # SGD, momento e Adam na mesma rede

# %% [markdown] lang="es"
# # SGD, momento y Adam en la misma red

# %% [markdown]
# We train the same small multilayer perceptron on 600 of the scikit-learn 8x8 digits with three optimizers:
# plain SGD, SGD with momentum 0.9, and Adam. Each optimizer gets the same budget: the same initial weights, the
# same number of steps, and the same search over six learning rates, from which we keep its best. We check that
# with its best learning rate, both momentum and Adam end with at most half the training loss of plain SGD
# with its best learning rate.

# %% [markdown] lang="pt"
# Treinamos o mesmo pequeno perceptron multicamadas em 600 dos dígitos 8x8 do scikit-learn com três otimizadores:
# SGD simples, SGD com momento 0,9 e Adam. Cada otimizador recebe o mesmo orçamento: os mesmos pesos iniciais, o
# mesmo número de passos e a mesma busca entre seis taxas de aprendizado, da qual guardamos a melhor. Verificamos
# que, cada um com a sua melhor taxa de aprendizado, o momento e o Adam terminam com no máximo metade da perda
# de treino do SGD simples com a melhor taxa dele.

# %% [markdown] lang="es"
# Entrenamos el mismo pequeño perceptrón multicapa con 600 de los dígitos 8x8 de scikit-learn con tres
# optimizadores: SGD simple, SGD con momento 0,9 y Adam. Cada optimizador recibe el mismo presupuesto: los mismos
# pesos iniciales, el mismo número de pasos y la misma búsqueda entre seis tasas de aprendizaje, de la que nos
# quedamos con la mejor. Comprobamos que, cada uno con su mejor tasa de aprendizaje, el momento y Adam terminan
# con como mucho la mitad de la pérdida de entrenamiento del SGD simple con su mejor tasa.

# %%
import os
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn

from glossary_tools.notebooks.i18n import figure_languages, say, show
from glossary_tools.notebooks.kernel import threads

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
torch.set_num_threads(threads(2))  # within the share the runner gives this kernel
device = torch.device(os.environ.get("GLOSSARY_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
STEPS = 60 if QUICK else 300
print(f"device: {device}, steps per run: {STEPS}")

X, y = load_digits(return_X_y=True)
rng = np.random.default_rng(0)
chosen = rng.permutation(len(X))[:600]
X_train = torch.tensor(X[chosen] / 16.0, dtype=torch.float32, device=device)
y_train = torch.tensor(y[chosen], device=device)
print("training set:", tuple(X_train.shape))

# %% [markdown]
# The network has two hidden layers of 64 ReLU units and PyTorch's default initialisation. Every step uses the
# whole training set (full-batch gradients), so the comparison is about how each optimizer uses the gradient and
# not about mini-batch noise. The learning rates tried are 0.01, 0.03, 0.1, 0.3, 1 and 3 for every
# optimizer; a run that diverges counts as infinite loss.

# %% [markdown] lang="pt"
# A rede tem duas camadas ocultas de 64 unidades ReLU e a inicialização padrão do PyTorch. Cada passo usa todo o
# conjunto de treino (gradientes do lote completo), de modo que a comparação mostra como cada otimizador usa o
# gradiente, e não o ruído dos minilotes. As taxas de aprendizado testadas são 0,01, 0,03, 0,1, 0,3, 1 e 3
# para todos os otimizadores; uma execução que diverge conta como perda infinita.

# %% [markdown] lang="es"
# La red tiene dos capas ocultas de 64 unidades ReLU y la inicialización por defecto de PyTorch. Cada paso usa
# todo el conjunto de entrenamiento (gradientes del lote completo), así que la comparación trata de cómo usa el
# gradiente cada optimizador y no del ruido de los minilotes. Las tasas de aprendizaje probadas son 0,01, 0,03,
# 0,1, 0,3, 1 y 3 para todos los optimizadores; una ejecución que diverge cuenta como pérdida infinita.

# %%
LEARNING_RATES = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
OPTIMIZERS = {
    "SGD": lambda params, lr: torch.optim.SGD(params, lr=lr),
    "SGD + momentum 0.9": lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9),
    "Adam": lambda params, lr: torch.optim.Adam(params, lr=lr),
}


def make_mlp():
    torch.manual_seed(0)  # the same initial weights for every run
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)).to(device)


def train(make_optimizer, lr):
    model = make_mlp()
    optimizer = make_optimizer(model.parameters(), lr)
    curve = []
    for step in range(STEPS):
        loss = nn.functional.cross_entropy(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        curve.append(loss.item())
    with torch.no_grad():
        final = nn.functional.cross_entropy(model(X_train), y_train).item()
    return (final if np.isfinite(final) else float("inf")), curve


results = {name: [train(make, lr) for lr in LEARNING_RATES] for name, make in OPTIMIZERS.items()}
print("final training loss by learning rate:")
print(" " * 20 + "".join(f"{lr:>9g}" for lr in LEARNING_RATES))
best = {}
for name, runs in results.items():
    print(f"{name:20s}" + "".join(f"{final:9.4f}" for final, _ in runs))
    i = int(np.argmin([final for final, _ in runs]))
    best[name] = (LEARNING_RATES[i], runs[i][0], runs[i][1])
for name, (lr, final, _) in best.items():
    print(f"best {name:20s} learning rate {lr:g}, final training loss {final:.4f}")

# %%
LABELS = {
    "en": {"best": "best lr", "x": "step", "y": "training loss (cross-entropy)",
           "title": f"Each optimizer with its best learning rate,\n{STEPS} full-batch steps"},
    "pt": {"best": "melhor taxa", "x": "passo", "y": "perda no treino (entropia cruzada)",
           "title": f"Cada otimizador com sua melhor taxa de aprendizado,\n{STEPS} passos com o lote inteiro"},
    "es": {"best": "mejor tasa", "x": "paso", "y": "pérdida de entrenamiento (entropía cruzada)",
           "title": f"Cada optimizador con su mejor tasa de aprendizaje,\n{STEPS} pasos con el lote completo"},
}
for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for name, (lr, _, curve) in best.items():
        ax.plot(range(1, STEPS + 1), curve, label=f"{name} ({t['best']} {lr:g})")
    ax.set(xlabel=t["x"], ylabel=t["y"], yscale="log", title=t["title"])
    ax.legend()
    show(fig, lang=lang)

# %%
sgd_loss = best["SGD"][1]
for name in ["SGD + momentum 0.9", "Adam"]:
    assert best[name][1] <= 0.5 * sgd_loss, (
        f"{name} best loss {best[name][1]:.4f} is not at most half of plain SGD's {sgd_loss:.4f}")
figures = (f"SGD {sgd_loss:.4f} (lr {best['SGD'][0]:g}), momentum {best['SGD + momentum 0.9'][1]:.4f} "
           f"(lr {best['SGD + momentum 0.9'][0]:g}), Adam {best['Adam'][1]:.2e} (lr {best['Adam'][0]:g})")
say({
    "en": f"claim holds: best final training loss {figures}",
    "pt": f"a afirmação se confirma: melhor perda final no treino {figures}",
    "es": f"la afirmación se cumple: mejor pérdida final de entrenamiento {figures}",
})
