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
# # A tiny transformer: looking up positions with self-attention

# %% [markdown] lang="pt"
# # Um transformer minúsculo: consultando posições com autoatenção

# %% [markdown] lang="es"
# # Un transformer diminuto: consultar posiciones con autoatención

# %% [markdown]
# We train a one-block transformer encoder, with self-attention written out by hand, on a synthetic sequence
# task in which every output has to be read from another position of the input, and the position to read is
# named by the input itself. We train a multilayer perceptron (MLP) with about as many parameters on the same
# data in the same way, and check that the transformer reaches a per-token test accuracy of at least 90% and
# beats the MLP by at least 20 percentage points.

# %% [markdown] lang="pt"
# Treinamos um encoder transformer de um só bloco, com a autoatenção escrita à mão, numa tarefa sintética de
# sequências em que cada saída precisa ser lida de outra posição da entrada, e a posição a ler é indicada pela
# própria entrada. Treinamos da mesma forma, com os mesmos dados, um perceptron multicamadas (MLP) com mais ou
# menos o mesmo número de parâmetros, e verificamos que o transformer chega a uma acurácia por token de pelo
# menos 90% no teste e supera o MLP por pelo menos 20 pontos percentuais.

# %% [markdown] lang="es"
# Entrenamos un codificador transformer de un solo bloque, con la autoatención escrita a mano, en una tarea
# sintética de secuencias en la que cada salida debe leerse de otra posición de la entrada, y la posición que
# hay que leer la indica la propia entrada. Entrenamos del mismo modo, con los mismos datos, un perceptrón
# multicapa (MLP) con aproximadamente el mismo número de parámetros, y comprobamos que el transformer alcanza
# una exactitud por token de al menos el 90 % en la prueba y supera al MLP en al menos 20 puntos porcentuales.

# %%
import math
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
STEPS = 150 if QUICK else 1500
print(f"device: {device}, training steps: {STEPS}")

# %% [markdown]
# Each sequence has 8 tokens, and each token is a number from 0 to 7, so it can also be read as a position.
# The target at position i is the token found at the position that token i names: y[i] = x[x[i]]. For
# x = 3 0 7 ..., the first target is x[3], the second x[0], the third x[7]. Which position each output has to
# look at depends on the content, so a model that sees each position on its own cannot solve it. We draw
# 5,000 random training sequences and 2,000 new ones for testing.

# %% [markdown] lang="pt"
# Cada sequência tem 8 tokens, e cada token é um número de 0 a 7, que também pode ser lido como uma posição. O
# alvo na posição i é o token que está na posição indicada pelo token i: y[i] = x[x[i]]. Para x = 3 0 7 ..., o
# primeiro alvo é x[3], o segundo x[0], o terceiro x[7]. A posição que cada saída precisa consultar depende do
# conteúdo, então um modelo que vê cada posição isoladamente não consegue resolver a tarefa. Sorteamos 5.000
# sequências aleatórias para o treino e outras 2.000, novas, para o teste.

# %% [markdown] lang="es"
# Cada secuencia tiene 8 tokens, y cada token es un número de 0 a 7, que también se puede leer como una
# posición. El objetivo en la posición i es el token que está en la posición que indica el token i:
# y[i] = x[x[i]]. Para x = 3 0 7 ..., el primer objetivo es x[3], el segundo x[0], el tercero x[7]. La posición
# que cada salida tiene que consultar depende del contenido, así que un modelo que ve cada posición por separado
# no puede resolver la tarea. Sorteamos 5.000 secuencias aleatorias para el entrenamiento y otras 2.000, nuevas,
# para la prueba.

# %%
LENGTH = 8  # tokens per sequence; the vocabulary is 0..7, one token per position


def make_data(n, generator):
    x = torch.randint(0, LENGTH, (n, LENGTH), generator=generator)
    return x.to(device), x.gather(1, x).to(device)  # y[i] = x[x[i]]


X_train, Y_train = make_data(5000, torch.Generator().manual_seed(0))
X_test, Y_test = make_data(2000, torch.Generator().manual_seed(1))
print("input: ", X_test[0].tolist())
print("target:", Y_test[0].tolist())

# %% [markdown]
# The transformer adds a learned position embedding to each token embedding (32 numbers each), then applies one
# encoder block: single-head self-attention, softmax(QKᵀ/√d)·V, and a small feed-forward network, each with
# layer normalisation before it and a residual connection around it. A linear layer turns every position's
# vector into scores for the 8 possible tokens. The MLP sees the same sequence as one flat one-hot vector of
# 64 numbers and has two hidden layers of 56 ReLU units.

# %% [markdown] lang="pt"
# O transformer soma um embedding de posição aprendido ao embedding de cada token (32 números cada) e aplica um
# bloco de encoder: autoatenção com uma só cabeça, softmax(QKᵀ/√d)·V, e uma pequena rede feed-forward, cada uma
# com normalização de camada antes e uma conexão residual em volta. Uma camada linear transforma o vetor de
# cada posição em pontuações para os 8 tokens possíveis. O MLP vê a mesma sequência como um único vetor one-hot
# achatado de 64 números e tem duas camadas ocultas de 56 unidades ReLU.

# %% [markdown] lang="es"
# El transformer suma un embedding de posición aprendido al embedding de cada token (32 números cada uno) y
# aplica un bloque codificador: autoatención con una sola cabeza, softmax(QKᵀ/√d)·V, y una pequeña red
# feed-forward, cada una con normalización de capa antes y una conexión residual alrededor. Una capa lineal
# convierte el vector de cada posición en puntuaciones para los 8 tokens posibles. El MLP ve la misma secuencia
# como un único vector one-hot aplanado de 64 números y tiene dos capas ocultas de 56 unidades ReLU.

# %%
class EncoderBlock(nn.Module):
    def __init__(self, d, d_ff):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, d_ff), nn.ReLU(), nn.Linear(d_ff, d))

    def forward(self, h):
        q, k, v = self.qkv(self.norm1(h)).chunk(3, dim=-1)
        weights = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(q.shape[-1]), dim=-1)  # (batch, query, key)
        self.attention = weights.detach()  # kept for the plot below
        h = h + self.proj(weights @ v)
        return h + self.ff(self.norm2(h))


class TinyTransformer(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.token = nn.Embedding(LENGTH, d)
        self.position = nn.Parameter(0.1 * torch.randn(LENGTH, d))
        self.block = EncoderBlock(d, 2 * d)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, LENGTH)

    def forward(self, x):
        return self.head(self.norm(self.block(self.token(x) + self.position)))


class FlatMLP(nn.Module):
    def __init__(self, hidden=56):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(LENGTH * LENGTH, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, LENGTH * LENGTH))

    def forward(self, x):
        one_hot = nn.functional.one_hot(x, LENGTH).float().flatten(1)
        return self.net(one_hot).view(-1, LENGTH, LENGTH)


models = {}
for name, cls in [("transformer", TinyTransformer), ("MLP", FlatMLP)]:
    torch.manual_seed(0)
    models[name] = cls().to(device)
    print(f"{name:12s} parameters: {sum(p.numel() for p in models[name].parameters()):,}")

# %% [markdown]
# Both models get the same training: Adam with learning rate 0.003, the same mini-batches of 128 sequences,
# the same number of steps, and a cross-entropy loss on every position.

# %% [markdown] lang="pt"
# Os dois modelos recebem o mesmo treino: Adam com taxa de aprendizado 0,003, os mesmos minilotes de 128
# sequências, o mesmo número de passos e uma perda de entropia cruzada em cada posição.

# %% [markdown] lang="es"
# Los dos modelos reciben el mismo entrenamiento: Adam con tasa de aprendizaje 0,003, los mismos minilotes de 128
# secuencias, el mismo número de pasos y una pérdida de entropía cruzada en cada posición.

# %%
def token_accuracy(model, X, Y):
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(-1) == Y).float().mean().item()


EVERY = STEPS // 10
curves, accuracy = {}, {}
for name, model in models.items():
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    gen = torch.Generator().manual_seed(0)  # same mini-batches for both models
    curves[name] = []
    for step in range(1, STEPS + 1):
        model.train()
        batch = torch.randint(0, len(X_train), (128,), generator=gen).to(device)
        logits = model(X_train[batch])
        loss = nn.functional.cross_entropy(logits.reshape(-1, LENGTH), Y_train[batch].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % EVERY == 0:
            curves[name].append(token_accuracy(model, X_test, Y_test))
    accuracy[name] = curves[name][-1]
    print(f"{name:12s} train accuracy {token_accuracy(model, X_train, Y_train):.1%}, "
          f"test accuracy per token {accuracy[name]:.1%}")

# %% [markdown]
# Where does the trained transformer look? For one test sequence we plot the attention weights: row i shows how
# much position i attends to each position. The circles mark the position that token i names.

# %% [markdown] lang="pt"
# Para onde olha o transformer treinado? Para uma sequência de teste, mostramos os pesos de atenção: a linha i
# mostra quanto a posição i presta atenção a cada posição. Os círculos marcam a posição indicada pelo token i.

# %% [markdown] lang="es"
# ¿Adónde mira el transformer entrenado? Para una secuencia de prueba mostramos los pesos de atención: la fila i
# muestra cuánta atención presta la posición i a cada posición. Los círculos marcan la posición que indica el
# token i.

# %%
transformer = models["transformer"]
transformer.eval()
with torch.no_grad():
    transformer(X_test)
attention = transformer.block.attention  # (sequences, query position, key position)
on_target = attention.gather(2, X_test.unsqueeze(2)).mean().item()
print(f"attention weight on the named position, averaged over the test set: {on_target:.2f}")

LABELS = {
    "en": {"step": "training step", "acc": "test accuracy per token", "title": "Reading x[x[i]]",
           "key": "key position", "query": "query position (token)", "attention": "Attention for x ="},
    "pt": {"step": "passo de treino", "acc": "acurácia no teste por token", "title": "Lendo x[x[i]]",
           "key": "posição da chave", "query": "posição da consulta (token)", "attention": "Atenção para x ="},
    "es": {"step": "paso de entrenamiento", "acc": "exactitud de prueba por token", "title": "Leyendo x[x[i]]",
           "key": "posición de la clave", "query": "posición de la consulta (token)", "attention": "Atención para x ="},
}
steps = range(EVERY, STEPS + 1, EVERY)
x0 = X_test[0].tolist()
for lang, t in figure_languages(LABELS):  # two panels stacked, so each is readable on a phone
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(6, 10))
    for name, curve in curves.items():
        ax1.plot(steps, curve, marker="o", label=name)
    ax1.set(xlabel=t["step"], ylabel=t["acc"], title=t["title"], ylim=(0, 1.02))
    ax1.legend()
    ax2.imshow(attention[0].cpu(), cmap="Blues", vmin=0, vmax=1)
    ax2.scatter(x0, range(LENGTH), s=200, facecolors="none", edgecolors="tab:red")
    ax2.set(xlabel=t["key"], ylabel=t["query"], title=f"{t['attention']} {x0}", xticks=range(LENGTH),
            yticks=range(LENGTH), yticklabels=[f"{i} ({token})" for i, token in enumerate(x0)])
    show(fig, lang=lang)

# %%
assert accuracy["transformer"] >= 0.9, f"transformer test accuracy {accuracy['transformer']:.3f} is below 0.9"
assert accuracy["transformer"] >= accuracy["MLP"] + 0.2, (
    f"transformer ({accuracy['transformer']:.3f}) does not beat the MLP ({accuracy['MLP']:.3f}) by 20 points")
lead = (accuracy["transformer"] - accuracy["MLP"]) * 100
say({
    "en": f"claim holds: the transformer reaches {accuracy['transformer']:.1%} per-token test accuracy, "
          f"{lead:.0f} points above the MLP of about the same size",
    "pt": f"a afirmação se confirma: o transformer chega a {accuracy['transformer']:.1%} de acurácia no teste por "
          f"token, {lead:.0f} pontos acima do MLP de tamanho parecido",
    "es": f"la afirmación se cumple: el transformer llega al {accuracy['transformer']:.1%} de exactitud de prueba por "
          f"token, {lead:.0f} puntos por encima del MLP de tamaño parecido",
})
