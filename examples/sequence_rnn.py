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
# # An LSTM on a task where order is everything

# %% [markdown] lang="pt"
# # Uma LSTM numa tarefa em que a ordem é tudo

# %% [markdown] lang="es"
# # Una LSTM en una tarea en la que el orden lo es todo

# %% [markdown]
# Each input is a sequence of 20 steps, each +1 or −1: a walk that starts at zero. The label says whether the
# walk ever goes below zero (like checking that a string of brackets never closes more than it has opened). We
# build the data so that the number of +1 and −1 steps says nothing about the label, then train an LSTM, which
# reads the steps in order, and a model that sees only those counts. We check that the LSTM reaches a test
# accuracy of at least 90% while the counts model stays at no more than 60%, near the 50% of guessing.

# %% [markdown] lang="pt"
# Cada entrada é uma sequência de 20 passos, cada um +1 ou −1: um passeio que começa no zero. O rótulo diz se o
# passeio chega a ficar abaixo de zero (como verificar que uma sequência de parênteses nunca fecha mais do que
# abriu). Montamos os dados de modo que o número de passos +1 e −1 não diga nada sobre o rótulo e treinamos uma
# LSTM, que lê os passos em ordem, e um modelo que vê só essas contagens. Verificamos que a LSTM chega a uma
# acurácia de teste de pelo menos 90%, enquanto o modelo de contagens fica em no máximo 60%, perto dos 50% de
# um chute.

# %% [markdown] lang="es"
# Cada entrada es una secuencia de 20 pasos, cada uno +1 o −1: un paseo que empieza en cero. La etiqueta dice si
# el paseo llega a bajar de cero (como comprobar que una cadena de paréntesis nunca cierra más de los que ha
# abierto). Construimos los datos de modo que el número de pasos +1 y −1 no diga nada de la etiqueta y
# entrenamos una LSTM, que lee los pasos en orden, y un modelo que solo ve esas cuentas. Comprobamos que la LSTM
# alcanza una exactitud de prueba de al menos el 90 %, mientras que el modelo de cuentas se queda en un 60 % como
# mucho, cerca del 50 % de adivinar.

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
EPOCHS = 10 if QUICK else 40
print(f"device: {device}, epochs: {EPOCHS}")

# %% [markdown]
# For every number of +1 steps from 10 to 14 we draw random orderings and keep as many walks that stay at or
# above zero as walks that dip below it. So for every possible pair of counts, half the walks are of each class:
# whatever a model computes from the counts alone, it is right half of the time.

# %% [markdown] lang="pt"
# Para cada número de passos +1 de 10 a 14, sorteamos ordens aleatórias e guardamos tantos passeios que ficam em
# zero ou acima quanto passeios que descem abaixo de zero. Assim, para cada par possível de contagens, metade dos
# passeios é de cada classe: o que quer que um modelo calcule só a partir das contagens, ele acerta metade das
# vezes.

# %% [markdown] lang="es"
# Para cada número de pasos +1 entre 10 y 14 sorteamos órdenes aleatorios y guardamos tantos paseos que se quedan
# en cero o por encima como paseos que bajan de cero. Así, para cada par posible de cuentas, la mitad de los
# paseos es de cada clase: calcule lo que calcule un modelo solo con las cuentas, acierta la mitad de las veces.

# %%
LENGTH = 20
rng = np.random.default_rng(0)


def make_walks(per_class, rng):
    xs, ys = [], []
    for ups in range(10, 15):
        order = rng.random((per_class * 40, LENGTH)).argsort(1)
        steps = np.where(order < ups, 1, -1)  # a random arrangement of `ups` steps +1, the rest -1
        stays_up = steps.cumsum(1).min(1) >= 0
        xs += [steps[stays_up][:per_class], steps[~stays_up][:per_class]]
        ys += [np.ones(per_class), np.zeros(per_class)]
    return (torch.tensor(np.concatenate(xs), dtype=torch.float32, device=device),
            torch.tensor(np.concatenate(ys), dtype=torch.float32, device=device))


X_train, y_train = make_walks(400, rng)
X_test, y_test = make_walks(100, rng)
print("train:", tuple(X_train.shape), "test:", tuple(X_test.shape),
      f"share that stays at or above zero: {y_train.mean().item():.0%}")

# %% [markdown]
# The LSTM reads one step at a time and keeps a state of 32 numbers; a linear layer turns its final state into
# the prediction. The counts model is an MLP that gets the fraction of +1 steps and of −1 steps: it sees the same
# bag of inputs, without the order. Both are trained with Adam (learning rate 0.01) on the same mini-batches.

# %% [markdown] lang="pt"
# A LSTM lê um passo por vez e mantém um estado de 32 números; uma camada linear transforma o estado final na
# previsão. O modelo de contagens é um MLP que recebe a fração de passos +1 e de passos −1: ele vê o mesmo
# saco de entradas, sem a ordem. Os dois são treinados com Adam (taxa de aprendizado 0,01) nos mesmos minilotes.

# %% [markdown] lang="es"
# La LSTM lee un paso cada vez y mantiene un estado de 32 números; una capa lineal convierte su estado final en
# la predicción. El modelo de cuentas es un MLP que recibe la fracción de pasos +1 y de pasos −1: ve la misma
# bolsa de entradas, sin el orden. Ambos se entrenan con Adam (tasa de aprendizaje 0,01) con los mismos
# minilotes.

# %%
class StepLSTM(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x.unsqueeze(-1))  # h: final state, (layers, batch, hidden)
        return self.out(h[-1]).squeeze(-1)


class CountsMLP(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x):
        counts = torch.stack([(x > 0).float().mean(1), (x < 0).float().mean(1)], dim=1)  # order thrown away
        return self.net(counts).squeeze(-1)


def accuracy(model, X, y):
    with torch.no_grad():
        return ((model(X) > 0).float() == y).float().mean().item()


curves = {}
for name, cls in [("LSTM", StepLSTM), ("counts MLP", CountsMLP)]:
    torch.manual_seed(0)
    model = cls().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    gen = torch.Generator().manual_seed(0)  # same mini-batches for both models
    curves[name] = []
    for epoch in range(EPOCHS):
        order = torch.randperm(len(X_train), generator=gen).to(device)
        for start in range(0, len(order), 100):
            batch = order[start:start + 100]
            loss = nn.functional.binary_cross_entropy_with_logits(model(X_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        curves[name].append(accuracy(model, X_test, y_test))
    print(f"{name:10s} train accuracy {accuracy(model, X_train, y_train):.1%}, test accuracy {curves[name][-1]:.1%}")
final = {name: curve[-1] for name, curve in curves.items()}

# %%
LABELS = {
    "en": {"step": "step", "position": "position", "walks": "Walks that stay up (green)\nor dip below zero (red)",
           "LSTM": "LSTM", "counts MLP": "counts MLP", "chance": "chance", "epoch": "epoch",
           "acc": "test accuracy", "title": "Reading in order vs counting"},
    "pt": {"step": "passo", "position": "posição",
           "walks": "Passeios que ficam acima de zero (verde)\nou descem abaixo dele (vermelho)",
           "LSTM": "LSTM", "counts MLP": "MLP de contagens", "chance": "acaso", "epoch": "época",
           "acc": "acurácia no teste", "title": "Ler em ordem vs contar"},
    "es": {"step": "paso", "position": "posición",
           "walks": "Paseos que se quedan sobre cero (verde)\no bajan de cero (rojo)",
           "LSTM": "LSTM", "counts MLP": "MLP de conteos", "chance": "azar", "epoch": "época",
           "acc": "exactitud de prueba", "title": "Leer en orden vs contar"},
}
examples = [(i, "tab:green") for i in torch.nonzero(y_test == 1)[:3, 0].tolist()]
examples += [(i, "tab:red") for i in torch.nonzero(y_test == 0)[:3, 0].tolist()]
for lang, t in figure_languages(LABELS):  # two panels stacked, so each is readable on a phone
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(6, 8))
    for i, color in examples:
        walk = np.concatenate([[0], X_test[i].cpu().numpy().cumsum()])
        ax1.plot(walk, color=color, alpha=0.8)
    ax1.axhline(0, color="black", lw=0.8)
    ax1.set(xlabel=t["step"], ylabel=t["position"], title=t["walks"])
    for name, curve in curves.items():
        ax2.plot(range(1, EPOCHS + 1), curve, marker="o", label=t.get(name, name))
    ax2.axhline(0.5, color="gray", ls=":", label=t["chance"])
    ax2.set(xlabel=t["epoch"], ylabel=t["acc"], ylim=(0.4, 1.02), title=t["title"])
    ax2.legend()
    show(fig, lang=lang)

# %%
assert final["LSTM"] >= 0.9, f"LSTM test accuracy {final['LSTM']:.3f} is below 0.9"
assert final["counts MLP"] <= 0.6, f"counts model test accuracy {final['counts MLP']:.3f} is above 0.6"
say({
    "en": f"claim holds: the LSTM reaches {final['LSTM']:.1%} test accuracy; "
          f"the order-blind counts model stays at {final['counts MLP']:.1%}",
    "pt": f"a afirmação se confirma: a LSTM chega a {final['LSTM']:.1%} de acurácia no teste; "
          f"o modelo de contagens, cego à ordem, fica em {final['counts MLP']:.1%}",
    "es": f"la afirmación se cumple: la LSTM llega al {final['LSTM']:.1%} de exactitud de prueba; "
          f"el modelo de conteos, ciego al orden, se queda en {final['counts MLP']:.1%}",
})
