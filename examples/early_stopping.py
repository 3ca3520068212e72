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
# # Early stopping with patience

# %% [markdown] lang="pt"
# # Parada antecipada com paciência

# %% [markdown] lang="es"
# # Parada temprana con paciencia

# %% [markdown]
# We train a large multilayer perceptron on only 300 of the scikit-learn 8x8 digits, a quarter of whose labels
# are wrong, and measure the loss on a separate validation set after every epoch. Early stopping keeps a copy
# of the weights with the lowest validation loss so far and stops once that loss has not improved for 10
# epochs. To see what stopping saves us from, we keep training to the end anyway. We check that the restored
# best model has a lower validation loss than the model at the end of training, and a test accuracy at least as
# high.

# %% [markdown] lang="pt"
# Treinamos um perceptron multicamadas grande com apenas 300 dos dígitos 8x8 do scikit-learn, um quarto deles
# com rótulos errados, e medimos a perda num conjunto de validação separado depois de cada época. A parada
# antecipada guarda uma cópia dos pesos com a menor perda de validação até o momento e para quando essa perda
# passa 10 épocas sem melhorar. Para ver do que a parada nos livra, continuamos treinando até o fim mesmo assim.
# Verificamos que o melhor modelo restaurado tem perda de validação menor que o modelo do fim do treino e uma
# acurácia de teste pelo menos igual.

# %% [markdown] lang="es"
# Entrenamos un perceptrón multicapa grande con solo 300 de los dígitos 8x8 de scikit-learn, una cuarta parte de
# ellos con etiquetas erróneas, y medimos la pérdida en un conjunto de validación aparte después de cada época.
# La parada temprana guarda una copia de los pesos con la menor pérdida de validación hasta el momento y se
# detiene cuando esa pérdida lleva 10 épocas sin mejorar. Para ver de qué nos libra la parada, seguimos
# entrenando hasta el final de todos modos. Comprobamos que el mejor modelo restaurado tiene una pérdida de
# validación menor que el modelo del final del entrenamiento y una exactitud de prueba al menos igual.

# %%
import copy
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
EPOCHS = 25 if QUICK else 120
PATIENCE = 10
print(f"device: {device}, epochs: {EPOCHS}, patience: {PATIENCE}")

# %% [markdown]
# The digits are split into 300 for training, 300 for validation and the remaining 1,197 for testing. In the
# training and validation sets, 25% of the labels are replaced by random ones, as happens with carelessly
# labelled data; the test labels stay correct, so test accuracy measures what the model really learned.

# %% [markdown] lang="pt"
# Os dígitos são divididos em 300 para treino, 300 para validação e os 1.197 restantes para teste. Nos conjuntos
# de treino e de validação, 25% dos rótulos são trocados por rótulos aleatórios, como acontece com dados
# rotulados sem cuidado; os rótulos de teste continuam corretos, então a acurácia de teste mede o que o modelo
# realmente aprendeu.

# %% [markdown] lang="es"
# Los dígitos se dividen en 300 para entrenamiento, 300 para validación y los 1.197 restantes para prueba. En los
# conjuntos de entrenamiento y de validación se cambia el 25 % de las etiquetas por etiquetas aleatorias, como
# ocurre con datos etiquetados sin cuidado; las etiquetas de prueba siguen siendo correctas, así que la exactitud
# de prueba mide lo que el modelo aprendió de verdad.

# %%
X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
rng = np.random.default_rng(0)
perm = rng.permutation(len(X))
train_idx, val_idx, test_idx = perm[:300], perm[300:600], perm[600:]
y_noisy = y.copy()
flip = rng.random(len(y)) < 0.25
y_noisy[flip] = (y[flip] + rng.integers(1, 10, flip.sum())) % 10  # always a wrong label


def tensors(idx, labels):
    return torch.tensor(X[idx], device=device), torch.tensor(labels[idx], device=device)


X_train, y_train = tensors(train_idx, y_noisy)
X_val, y_val = tensors(val_idx, y_noisy)
X_test, y_test = tensors(test_idx, y)
print(f"train {len(train_idx)}, validation {len(val_idx)}, test {len(test_idx)}; "
      f"training labels changed: {(y_noisy[train_idx] != y[train_idx]).sum()}")

# %% [markdown]
# The network has two hidden layers of 512 ReLU units, far more than 300 examples need, and is trained with Adam
# (learning rate 0.001) on mini-batches of 30. After each epoch we compute the validation loss; when it is the
# lowest so far we copy the weights, and the first time it has gone `PATIENCE` epochs without a new low we mark
# that epoch as the stopping point.

# %% [markdown] lang="pt"
# A rede tem duas camadas ocultas de 512 unidades ReLU, muito mais do que 300 exemplos precisam, e é treinada
# com Adam (taxa de aprendizado 0,001) em minilotes de 30. Depois de cada época calculamos a perda de validação;
# quando ela é a menor até ali, copiamos os pesos, e a primeira vez que ela passa `PATIENCE` épocas sem um novo
# mínimo marcamos essa época como o ponto de parada.

# %% [markdown] lang="es"
# La red tiene dos capas ocultas de 512 unidades ReLU, muchas más de las que necesitan 300 ejemplos, y se
# entrena con Adam (tasa de aprendizaje 0,001) con minilotes de 30. Después de cada época calculamos la pérdida
# de validación; cuando es la más baja hasta el momento copiamos los pesos, y la primera vez que pasa `PATIENCE`
# épocas sin un nuevo mínimo marcamos esa época como el punto de parada.

# %%
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def evaluate(model, X_, y_):
    model.eval()
    with torch.no_grad():
        logits = model(X_)
        return nn.functional.cross_entropy(logits, y_).item(), (logits.argmax(1) == y_).float().mean().item()


gen = torch.Generator().manual_seed(0)
train_losses, val_losses = [], []
best_loss, best_epoch, best_state, stop_epoch = float("inf"), 0, None, None
for epoch in range(1, EPOCHS + 1):
    model.train()
    order = torch.randperm(len(X_train), generator=gen).to(device)
    for start in range(0, len(order), 30):
        batch = order[start:start + 30]
        loss = nn.functional.cross_entropy(model(X_train[batch]), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    train_losses.append(evaluate(model, X_train, y_train)[0])
    val_losses.append(evaluate(model, X_val, y_val)[0])
    if stop_epoch is None:
        if val_losses[-1] < best_loss:
            best_loss, best_epoch, best_state = val_losses[-1], epoch, copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= PATIENCE:
            stop_epoch = epoch  # early stopping would end training here
if stop_epoch is None:
    stop_epoch = EPOCHS
print(f"lowest validation loss {best_loss:.3f} at epoch {best_epoch}; patience ran out at epoch {stop_epoch}")

final_val_loss, final_test_acc = evaluate(model, X_val, y_val)[0], evaluate(model, X_test, y_test)[1]
final_train_acc = evaluate(model, X_train, y_train)[1]
best_model = copy.deepcopy(model)
best_model.load_state_dict(best_state)
best_val_loss, best_test_acc = evaluate(best_model, X_val, y_val)[0], evaluate(best_model, X_test, y_test)[1]
print(f"restored best model (epoch {best_epoch}): validation loss {best_val_loss:.3f}, test accuracy {best_test_acc:.1%}")
print(f"model after all {EPOCHS} epochs:     validation loss {final_val_loss:.3f}, test accuracy {final_test_acc:.1%} "
      f"(training accuracy on the noisy labels {final_train_acc:.1%})")

# %%
LABELS = {
    "en": {"train": "training loss", "val": "validation loss", "best": "best checkpoint (epoch {e})",
           "stop": "patience runs out (epoch {e})", "x": "epoch", "y": "cross-entropy",
           "title": "Early stopping on noisy digits"},
    "pt": {"train": "perda no treino", "val": "perda na validação", "best": "melhor ponto salvo (época {e})",
           "stop": "a paciência se esgota (época {e})", "x": "época", "y": "entropia cruzada",
           "title": "Parada antecipada em dígitos ruidosos"},
    "es": {"train": "pérdida de entrenamiento", "val": "pérdida de validación",
           "best": "mejor punto guardado (época {e})", "stop": "se agota la paciencia (época {e})", "x": "época",
           "y": "entropía cruzada", "title": "Parada temprana con dígitos ruidosos"},
}
epochs = range(1, EPOCHS + 1)
for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(epochs, train_losses, label=t["train"])
    ax.plot(epochs, val_losses, label=t["val"])
    ax.axvline(best_epoch, color="tab:green", ls="--", label=t["best"].format(e=best_epoch))
    ax.axvline(stop_epoch, color="tab:red", ls=":", label=t["stop"].format(e=stop_epoch))
    ax.set(xlabel=t["x"], ylabel=t["y"], yscale="log", title=t["title"])
    ax.legend()
    show(fig, lang=lang)

# %%
assert best_val_loss < final_val_loss, (
    f"best validation loss {best_val_loss:.3f} is not below the final one {final_val_loss:.3f}")
assert best_test_acc >= final_test_acc, (
    f"restored model test accuracy {best_test_acc:.3f} is below the final model's {final_test_acc:.3f}")
say({
    "en": f"claim holds: the restored model has validation loss {best_val_loss:.3f} (final {final_val_loss:.3f}) "
          f"and test accuracy {best_test_acc:.1%} (final {final_test_acc:.1%})",
    "pt": f"a afirmação se confirma: o modelo restaurado tem perda na validação {best_val_loss:.3f} (final "
          f"{final_val_loss:.3f}) e acurácia no teste {best_test_acc:.1%} (final {final_test_acc:.1%})",
    "es": f"la afirmación se cumple: el modelo restaurado tiene pérdida de validación {best_val_loss:.3f} (final "
          f"{final_val_loss:.3f}) y exactitud de prueba {best_test_acc:.1%} (final {final_test_acc:.1%})",
})
