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
# # Softmax and cross-entropy from scratch, without overflow

# %% [markdown] lang="pt"
# # Softmax e entropia cruzada do zero, sem estouro numérico

# %% [markdown] lang="es"
# # Softmax y entropía cruzada desde cero, sin desbordamiento

# %% [markdown]
# We write softmax and the cross-entropy loss by hand, using the max-subtraction trick, and compare them with
# PyTorch's `torch.nn.functional.cross_entropy` on random logits, a tenth of which are in the hundreds or
# thousands. We check that the textbook formula overflows there (it returns inf or nan) while ours stays finite
# and agrees with PyTorch to within 1e-6. Then we train a softmax classifier on the scikit-learn digits with our
# loss and check at every step that its loss and gradients agree with PyTorch's to within 1e-6, and that the
# classifier reaches a test accuracy of at least 90%.

# %% [markdown] lang="pt"
# Escrevemos à mão a softmax e a perda de entropia cruzada, com o truque de subtrair o máximo, e as comparamos
# com a `torch.nn.functional.cross_entropy` do PyTorch em logits aleatórios, um décimo deles na casa das
# centenas ou dos milhares. Verificamos que a fórmula dos livros estoura nesses casos (dá inf ou nan), enquanto
# a nossa continua finita e concorda com o PyTorch com diferença de no máximo 1e-6. Depois treinamos um
# classificador softmax nos dígitos do scikit-learn com a nossa perda e verificamos, a cada passo, que a perda e
# os gradientes concordam com os do PyTorch com diferença de no máximo 1e-6, e que o classificador chega a uma
# acurácia de teste de pelo menos 90%.

# %% [markdown] lang="es"
# Escribimos a mano la softmax y la pérdida de entropía cruzada, con el truco de restar el máximo, y las
# comparamos con `torch.nn.functional.cross_entropy` de PyTorch en logits aleatorios, una décima parte de ellos
# del orden de cientos o miles. Comprobamos que la fórmula de los libros se desborda en esos casos (da inf o
# nan), mientras que la nuestra sigue siendo finita y coincide con PyTorch con una diferencia de 1e-6 como mucho.
# Después entrenamos un clasificador softmax con los dígitos de scikit-learn usando nuestra pérdida y
# comprobamos, en cada paso, que la pérdida y los gradientes coinciden con los de PyTorch con una diferencia de
# 1e-6 como mucho, y que el clasificador alcanza una exactitud de prueba de al menos el 90 %.

# %%
import os
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from glossary_tools.notebooks.i18n import figure_languages, say, show
from glossary_tools.notebooks.kernel import threads

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
torch.set_num_threads(threads(2))  # within the share the runner gives this kernel
device = torch.device(os.environ.get("GLOSSARY_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
STEPS = 300 if QUICK else 500
print(f"device: {device}, training steps: {STEPS}")

# %% [markdown]
# Softmax turns scores z into probabilities exp(zᵢ) / Σⱼ exp(zⱼ), and cross-entropy is −log of the probability
# given to the correct class. Written literally, exp(1000) overflows to infinity. Subtracting the largest score
# first changes nothing mathematically (the common factor cancels) but keeps every exponent at or below zero;
# the log of the softmax is then (zᵢ − m) − log Σⱼ exp(zⱼ − m), with m the largest score. We work in double
# precision, so that any difference would come from the formulas and not from rounding.

# %% [markdown] lang="pt"
# A softmax transforma pontuações z em probabilidades exp(zᵢ) / Σⱼ exp(zⱼ), e a entropia cruzada é −log da
# probabilidade dada à classe correta. Escrito ao pé da letra, exp(1000) estoura para infinito. Subtrair antes a
# maior pontuação não muda nada matematicamente (o fator comum se cancela), mas mantém todos os expoentes em zero
# ou abaixo; o log da softmax fica (zᵢ − m) − log Σⱼ exp(zⱼ − m), com m a maior pontuação. Trabalhamos em
# precisão dupla, para que qualquer diferença venha das fórmulas e não do arredondamento.

# %% [markdown] lang="es"
# La softmax convierte puntuaciones z en probabilidades exp(zᵢ) / Σⱼ exp(zⱼ), y la entropía cruzada es −log de
# la probabilidad asignada a la clase correcta. Escrito al pie de la letra, exp(1000) se desborda a infinito.
# Restar antes la puntuación más alta no cambia nada matemáticamente (el factor común se cancela), pero deja
# todos los exponentes en cero o por debajo; el log de la softmax queda (zᵢ − m) − log Σⱼ exp(zⱼ − m), con m la
# puntuación más alta. Trabajamos en doble precisión, para que cualquier diferencia venga de las fórmulas y no del
# redondeo.

# %%
def naive_softmax(z):
    e = torch.exp(z)
    return e / e.sum(dim=1, keepdim=True)


def naive_cross_entropy(z, target):
    return -torch.log(naive_softmax(z)[torch.arange(len(z), device=z.device), target]).mean()


def log_softmax(z):
    shifted = z - z.max(dim=1, keepdim=True).values  # every exponent is now <= 0
    return shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))


def softmax(z):
    return torch.exp(log_softmax(z))


def cross_entropy(z, target):
    return -log_softmax(z)[torch.arange(len(z), device=z.device), target].mean()


# %%
gen = torch.Generator().manual_seed(0)
logits = 5 * torch.randn(1000, 10, generator=gen, dtype=torch.float64)
logits[:100] *= 200  # a tenth of the rows get scores in the hundreds and thousands
logits = logits.to(device)
targets = torch.randint(0, 10, (1000,), generator=gen).to(device)
print(f"largest logit: {logits.max().item():.0f}")

ours = cross_entropy(logits, targets).item()
naive = naive_cross_entropy(logits, targets).item()
reference = F.cross_entropy(logits, targets).item()
per_row_ours = -log_softmax(logits)[torch.arange(1000, device=device), targets]
per_row_torch = F.cross_entropy(logits, targets, reduction="none")
row_difference = (per_row_ours - per_row_torch).abs().max().item()
print(f"naive formula: {naive}   stable formula: {ours:.6f}   F.cross_entropy: {reference:.6f}")
print(f"largest per-row difference from F.cross_entropy: {row_difference:.1e}")
row = torch.tensor([[1000.0, 999.0, 998.0]], dtype=torch.float64)
print("scores [1000, 999, 998]: naive softmax", naive_softmax(row)[0].tolist(),
      " stable softmax", [round(p, 4) for p in softmax(row)[0].tolist()])

# %% [markdown]
# Now a softmax classifier (one linear layer, 64 pixels → 10 scores) on the 8x8 digits, trained by gradient
# descent with our loss. At every step we also compute PyTorch's loss on the same scores and its gradients
# with respect to the weights, and record the largest difference.

# %% [markdown] lang="pt"
# Agora, um classificador softmax (uma camada linear, 64 pixels → 10 pontuações) nos dígitos 8x8, treinado por
# descida do gradiente com a nossa perda. A cada passo calculamos também a perda do PyTorch sobre as mesmas
# pontuações e os seus gradientes em relação aos pesos, e registramos a maior diferença.

# %% [markdown] lang="es"
# Ahora, un clasificador softmax (una capa lineal, 64 píxeles → 10 puntuaciones) con los dígitos 8x8, entrenado
# por descenso del gradiente con nuestra pérdida. En cada paso calculamos también la pérdida de PyTorch sobre las
# mismas puntuaciones y sus gradientes respecto a los pesos, y anotamos la mayor diferencia.

# %%
X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X / 16.0, y, test_size=0.25, random_state=0, stratify=y)
X_tr, X_te = (torch.tensor(a, dtype=torch.float64, device=device) for a in (X_tr, X_te))
y_tr, y_te = (torch.tensor(a, device=device) for a in (y_tr, y_te))

W = torch.zeros(64, 10, dtype=torch.float64, device=device, requires_grad=True)
b = torch.zeros(10, dtype=torch.float64, device=device, requires_grad=True)
losses, loss_gap, grad_gap = [], 0.0, 0.0
for step in range(STEPS):
    scores = X_tr @ W + b
    loss = cross_entropy(scores, y_tr)
    grads = torch.autograd.grad(loss, (W, b), retain_graph=True)
    loss_ref = F.cross_entropy(scores, y_tr)
    grads_ref = torch.autograd.grad(loss_ref, (W, b))
    loss_gap = max(loss_gap, abs(loss.item() - loss_ref.item()))
    grad_gap = max(grad_gap, max((g - r).abs().max().item() for g, r in zip(grads, grads_ref)))
    with torch.no_grad():  # plain gradient descent with our gradients
        W -= 0.5 * grads[0]
        b -= 0.5 * grads[1]
    losses.append(loss.item())
with torch.no_grad():
    test_accuracy = ((X_te @ W + b).argmax(1) == y_te).float().mean().item()
print(f"final training loss {losses[-1]:.4f}, test accuracy {test_accuracy:.1%}")
print(f"largest difference from F.cross_entropy over {STEPS} steps: loss {loss_gap:.1e}, gradients {grad_gap:.1e}")

# %% [markdown]
# Dividing the scores by a temperature T before the softmax changes how peaked the probabilities are: a low T
# approaches a one-hot vector on the largest score, a high T approaches the uniform distribution.

# %% [markdown] lang="pt"
# Dividir as pontuações por uma temperatura T antes da softmax muda o quanto as probabilidades se concentram: um
# T baixo se aproxima de um vetor one-hot na maior pontuação, um T alto se aproxima da distribuição uniforme.

# %% [markdown] lang="es"
# Dividir las puntuaciones por una temperatura T antes de la softmax cambia cuánto se concentran las
# probabilidades: una T baja se acerca a un vector one-hot en la puntuación más alta y una T alta se acerca a la
# distribución uniforme.

# %%
example_scores = torch.tensor([[3.0, 2.0, 1.0, 0.0, -1.0]], dtype=torch.float64)
temperatures = np.logspace(-1, 1, 60)
probabilities = np.array([softmax(example_scores / t)[0].numpy() for t in temperatures])

LABELS = {
    "en": {"score": "score", "temp": "temperature T", "prob": "softmax probability", "step": "gradient-descent step",
           "loss": "training loss (our cross-entropy)",
           "title": f"Softmax classifier on 8x8 digits\n(test acc. {test_accuracy:.0%})"},
    "pt": {"score": "escore", "temp": "temperatura T", "prob": "probabilidade softmax",
           "step": "passo da descida do gradiente", "loss": "perda no treino (nossa entropia cruzada)",
           "title": f"Classificador softmax em dígitos 8x8\n(acurácia no teste {test_accuracy:.0%})"},
    "es": {"score": "puntuación", "temp": "temperatura T", "prob": "probabilidad softmax",
           "step": "paso del descenso del gradiente", "loss": "pérdida de entrenamiento (nuestra entropía cruzada)",
           "title": f"Clasificador softmax con dígitos 8x8\n(exactitud de prueba {test_accuracy:.0%})"},
}
for lang, t in figure_languages(LABELS):  # two panels stacked, so each is readable on a phone
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(6, 8.5))
    for k in range(example_scores.shape[1]):
        ax1.plot(temperatures, probabilities[:, k], label=f"{t['score']} {example_scores[0, k].item():+.0f}")
    ax1.set(xscale="log", xlabel=t["temp"], ylabel=t["prob"], title="softmax(z / T)")
    ax1.legend()
    ax2.plot(range(1, STEPS + 1), losses)
    ax2.set(xlabel=t["step"], ylabel=t["loss"], title=t["title"], yscale="log")
    show(fig, lang=lang)

# %%
assert not np.isfinite(naive), f"the naive formula did not overflow: {naive}"
assert np.isfinite(ours) and abs(ours - reference) <= 1e-6 and row_difference <= 1e-6, (
    f"stable cross-entropy differs from F.cross_entropy by {row_difference:.2e}")
assert loss_gap <= 1e-6 and grad_gap <= 1e-6, f"training: loss gap {loss_gap:.2e}, gradient gap {grad_gap:.2e}"
assert test_accuracy >= 0.9, f"softmax classifier test accuracy {test_accuracy:.3f} is below 0.9"
gap = max(loss_gap, grad_gap)
say({
    "en": f"claim holds: the naive formula gives {naive}, the stable one matches F.cross_entropy to "
          f"{row_difference:.0e}; during training loss and gradients match to {gap:.0e}, "
          f"test accuracy {test_accuracy:.1%}",
    "pt": f"a afirmação se confirma: a fórmula ingênua dá {naive}, a estável coincide com F.cross_entropy até "
          f"{row_difference:.0e}; no treino, perda e gradientes coincidem até {gap:.0e}, "
          f"acurácia no teste {test_accuracy:.1%}",
    "es": f"la afirmación se cumple: la fórmula ingenua da {naive}, la estable coincide con F.cross_entropy hasta "
          f"{row_difference:.0e}; durante el entrenamiento, pérdida y gradientes coinciden hasta {gap:.0e}, "
          f"exactitud de prueba {test_accuracy:.1%}",
})
