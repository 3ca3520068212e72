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
# # A single neuron learns a straight line

# %% [markdown] lang="pt"
# # Um único neurônio aprende uma reta

# %% [markdown] lang="es"
# # Una sola neurona aprende una recta

# %% [markdown]
# We fit one neuron without an activation, y = m*x + c (PyTorch's `nn.Linear(1, 1)`), to noisy points
# generated from a line whose slope m and intercept c we know. Plain gradient descent on the mean squared
# error should recover both numbers, and the loss should fall to a small fraction of where it started.

# %% [markdown] lang="pt"
# Ajustamos um único neurônio sem função de ativação, y = m*x + c (o `nn.Linear(1, 1)` do PyTorch), a pontos
# com ruído gerados a partir de uma reta cuja inclinação m e cujo intercepto c conhecemos. O gradiente
# descendente simples sobre o erro quadrático médio deve recuperar os dois valores, e a perda deve cair
# para uma pequena fração do valor inicial.

# %% [markdown] lang="es"
# Ajustamos una sola neurona sin función de activación, y = m*x + c (el `nn.Linear(1, 1)` de PyTorch), a
# puntos con ruido generados a partir de una recta cuya pendiente m y cuya ordenada en el origen c conocemos.
# El descenso de gradiente simple sobre el error cuadrático medio debería recuperar ambos valores, y la
# pérdida debería bajar a una pequeña fracción de la inicial.

# %%
import os
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from glossary_tools.notebooks.i18n import figure_languages, say, show
from glossary_tools.notebooks.kernel import threads

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
torch.set_num_threads(threads(2))  # within the share the runner gives this kernel
device = torch.device(os.environ.get("GLOSSARY_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
STEPS = 75 if QUICK else 150
print(f"device: {device}, gradient-descent steps: {STEPS}")

# %% [markdown]
# The data: 200 points on the line with slope 2 and intercept -1, plus Gaussian noise.

# %% [markdown] lang="pt"
# Os dados: 200 pontos sobre a reta de inclinação 2 e intercepto -1, mais ruído gaussiano.

# %% [markdown] lang="es"
# Los datos: 200 puntos sobre la recta de pendiente 2 y ordenada en el origen -1, más ruido gaussiano.

# %%
TRUE_M, TRUE_C, NOISE = 2.0, -1.0, 0.3
rng = np.random.default_rng(0)
x_np = rng.uniform(-2, 2, size=(200, 1)).astype(np.float32)
y_np = (TRUE_M * x_np + TRUE_C + rng.normal(0, NOISE, size=x_np.shape)).astype(np.float32)
x = torch.tensor(x_np, device=device)
y = torch.tensor(y_np, device=device)

# %% [markdown]
# The neuron starts from random weights. Each step computes the loss on all points, back-propagates
# to get dLoss/dm and dLoss/dc, and moves both parameters a little against their gradient.

# %% [markdown] lang="pt"
# O neurônio começa com pesos aleatórios. A cada passo calculamos a perda em todos os pontos, fazemos a
# retropropagação para obter dPerda/dm e dPerda/dc e movemos os dois parâmetros um pouco no sentido oposto
# ao gradiente.

# %% [markdown] lang="es"
# La neurona empieza con pesos aleatorios. En cada paso calculamos la pérdida sobre todos los puntos,
# retropropagamos para obtener dPérdida/dm y dPérdida/dc y movemos ambos parámetros un poco en sentido
# contrario al gradiente.

# %%
neuron = nn.Linear(1, 1).to(device)  # weight plays the role of m, bias the role of c
optimizer = torch.optim.SGD(neuron.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
print(f"start:  m = {neuron.weight.item():.3f}, c = {neuron.bias.item():.3f}")

losses = []
for step in range(STEPS):
    loss = loss_fn(neuron(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())

m_hat, c_hat = neuron.weight.item(), neuron.bias.item()
print(f"learned: m = {m_hat:.3f}, c = {c_hat:.3f}   (true m = {TRUE_M}, c = {TRUE_C})")
print(f"initial loss: {losses[0]:.4f}, final loss: {losses[-1]:.4f} (noise variance {NOISE**2:.2f})")

# %% [markdown]
# At the top, the data and the learned line; below, how the loss fell during training.

# %% [markdown] lang="pt"
# Em cima, os dados e a reta aprendida; embaixo, como a perda caiu durante o treino.

# %% [markdown] lang="es"
# Arriba, los datos y la recta aprendida; debajo, cómo bajó la pérdida durante el entrenamiento.

# %%
LABELS = {
    "en": {"data": "noisy data", "true": "true line", "fitted": "fitted line", "title": "Data and fitted neuron",
           "step": "gradient-descent step", "mse": "mean squared error", "loss": "Training loss"},
    "pt": {"data": "dados com ruído", "true": "reta verdadeira", "fitted": "reta ajustada",
           "title": "Dados e neurônio ajustado", "step": "passo da descida do gradiente", "mse": "erro quadrático médio",
           "loss": "Perda no treino"},
    "es": {"data": "datos con ruido", "true": "recta verdadera", "fitted": "recta ajustada",
           "title": "Datos y neurona ajustada", "step": "paso del descenso del gradiente",
           "mse": "error cuadrático medio", "loss": "Pérdida de entrenamiento"},
}
grid = np.linspace(-2, 2, 50)
for lang, t in figure_languages(LABELS):  # two panels stacked, so each is readable on a phone
    fig, axes = plt.subplots(2, 1, figsize=(6, 8))
    axes[0].scatter(x_np, y_np, s=10, alpha=0.5, label=t["data"])
    axes[0].plot(grid, TRUE_M * grid + TRUE_C, "k--", label=f"{t['true']} (m={TRUE_M:g}, c={TRUE_C:g})")
    axes[0].plot(grid, m_hat * grid + c_hat, "r", label=f"{t['fitted']} (m={m_hat:.2f}, c={c_hat:.2f})")
    axes[0].set(xlabel="x", ylabel="y", title=t["title"])
    axes[0].legend()
    axes[1].plot(losses)
    axes[1].set(xlabel=t["step"], ylabel=t["mse"], title=t["loss"], yscale="log")
    show(fig, lang=lang)

# %%
assert abs(m_hat - TRUE_M) < 0.1 and abs(c_hat - TRUE_C) < 0.1, (
    f"learned m={m_hat:.3f}, c={c_hat:.3f} are not within 0.1 of the true m={TRUE_M}, c={TRUE_C}")
assert losses[-1] < 0.1 * losses[0], (
    f"final loss {losses[-1]:.4f} is not below 10% of the initial loss {losses[0]:.4f}")
say({
    "en": "claim holds: m and c recovered within 0.1, final loss < 10% of the initial loss",
    "pt": "a afirmação se confirma: m e c recuperados com erro menor que 0,1, perda final < 10% da inicial",
    "es": "la afirmación se cumple: m y c recuperados con un error menor que 0,1, pérdida final < 10 % de la inicial",
})
