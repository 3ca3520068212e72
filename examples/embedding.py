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
# # Learning an embedding from co-occurrence

# %% [markdown] lang="pt"
# # Aprendendo um embedding a partir de coocorrências

# %% [markdown] lang="es"
# # Aprender un embedding a partir de coocurrencias

# %% [markdown]
# We make up 64 items that fall into 8 hidden groups of 8, and generate pairs of items that occur together:
# mostly two items of the same group, sometimes two items at random. An `nn.Embedding` of 16 numbers per item is
# trained to predict, from one item, the item that occurs with it; the groups are never shown to it. We check
# that items of the same group end up with similar vectors: the mean cosine similarity within groups is at least
# 0.5 above the mean similarity between items of different groups.

# %% [markdown] lang="pt"
# Inventamos 64 itens divididos em 8 grupos ocultos de 8 e geramos pares de itens que aparecem juntos: quase
# sempre dois itens do mesmo grupo, às vezes dois itens quaisquer. Um `nn.Embedding` de 16 números por item é
# treinado para prever, a partir de um item, o item que aparece com ele; os grupos nunca lhe são mostrados.
# Verificamos que itens do mesmo grupo terminam com vetores parecidos: a similaridade de cosseno média dentro dos
# grupos fica pelo menos 0,5 acima da similaridade média entre itens de grupos diferentes.

# %% [markdown] lang="es"
# Inventamos 64 elementos repartidos en 8 grupos ocultos de 8 y generamos pares de elementos que aparecen
# juntos: casi siempre dos elementos del mismo grupo, a veces dos cualesquiera. Un `nn.Embedding` de 16 números
# por elemento se entrena para predecir, a partir de un elemento, el elemento que aparece con él; nunca ve los
# grupos. Comprobamos que los elementos del mismo grupo acaban con vectores parecidos: la similitud coseno media
# dentro de los grupos queda al menos 0,5 por encima de la similitud media entre elementos de grupos distintos.

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
STEPS = 1500 if QUICK else 4000
print(f"device: {device}, training steps: {STEPS}")

# %% [markdown]
# The items are numbered 0 to 63 and shuffled into groups, so an item's number says nothing about its group. In
# each pair, with probability 0.8 the second item is drawn from the first item's group (it can be the item
# itself); otherwise it is any of the 64 items.

# %% [markdown] lang="pt"
# Os itens são numerados de 0 a 63 e embaralhados nos grupos, de modo que o número de um item não diz nada sobre
# o seu grupo. Em cada par, com probabilidade 0,8 o segundo item é sorteado do grupo do primeiro (pode ser o
# próprio item); caso contrário, é qualquer um dos 64 itens.

# %% [markdown] lang="es"
# Los elementos se numeran de 0 a 63 y se reparten al azar en los grupos, así que el número de un elemento no
# dice nada de su grupo. En cada par, con probabilidad 0,8 el segundo elemento se sortea dentro del grupo del
# primero (puede ser el mismo elemento); si no, es cualquiera de los 64 elementos.

# %%
N_ITEMS, N_GROUPS = 64, 8
rng = np.random.default_rng(0)
group = torch.tensor(rng.permutation(N_ITEMS) % N_GROUPS, device=device)  # hidden group of each item
members = [torch.nonzero(group == g).flatten() for g in range(N_GROUPS)]
member_table = torch.stack(members)  # (groups, items per group)


def sample_pairs(n, generator):
    first = torch.randint(0, N_ITEMS, (n,), generator=generator).to(device)
    pick = torch.randint(0, N_ITEMS // N_GROUPS, (n,), generator=generator).to(device)
    same_group = member_table[group[first], pick]
    anything = torch.randint(0, N_ITEMS, (n,), generator=generator).to(device)
    use_group = (torch.rand(n, generator=generator) < 0.8).to(device)
    return first, torch.where(use_group, same_group, anything)


first, second = sample_pairs(8, torch.Generator().manual_seed(0))
for a, b in zip(first.tolist(), second.tolist()):
    print(f"item {a:2d} (group {group[a].item()}) occurs with item {b:2d} (group {group[b].item()})")

# %% [markdown]
# The model is an embedding table followed by a linear layer that scores all 64 items as the possible partner,
# trained with cross-entropy and Adam (learning rate 0.01) on fresh mini-batches of 256 pairs. We measure the
# cosine similarity of every pair of rows of the embedding table, before and after training.

# %% [markdown] lang="pt"
# O modelo é uma tabela de embeddings seguida de uma camada linear que pontua os 64 itens como possíveis
# parceiros, treinado com entropia cruzada e Adam (taxa de aprendizado 0,01) em minilotes novos de 256 pares.
# Medimos a similaridade de cosseno de cada par de linhas da tabela de embeddings, antes e depois do treino.

# %% [markdown] lang="es"
# El modelo es una tabla de embeddings seguida de una capa lineal que puntúa los 64 elementos como posibles
# compañeros, entrenado con entropía cruzada y Adam (tasa de aprendizaje 0,01) con minilotes nuevos de 256
# pares. Medimos la similitud coseno de cada par de filas de la tabla de embeddings, antes y después del
# entrenamiento.

# %%
torch.manual_seed(0)
embedding = nn.Embedding(N_ITEMS, 16).to(device)
scorer = nn.Linear(16, N_ITEMS).to(device)
optimizer = torch.optim.Adam([*embedding.parameters(), *scorer.parameters()], lr=0.01)

same = group[:, None] == group[None, :]
off_diagonal = ~torch.eye(N_ITEMS, dtype=torch.bool, device=device)


def similarity_gap():
    with torch.no_grad():
        unit = nn.functional.normalize(embedding.weight, dim=1)
        cos = unit @ unit.T
        within = cos[same & off_diagonal].mean().item()
        between = cos[~same].mean().item()
    return cos.cpu(), within, between


_, within0, between0 = similarity_gap()
print(f"before training: within-group {within0:+.2f}, between-group {between0:+.2f}")

gen = torch.Generator().manual_seed(1)
losses = []
for step in range(STEPS):
    first, second = sample_pairs(256, gen)
    loss = nn.functional.cross_entropy(scorer(embedding(first)), second)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())

cos, within, between = similarity_gap()
gap = within - between
print(f"after training:  within-group {within:+.2f}, between-group {between:+.2f}, gap {gap:.2f}")
p_member, p_other = 0.8 / 8 + 0.2 / 64, 0.2 / 64  # true probabilities of the partner
floor = -(8 * p_member * np.log(p_member) + 56 * p_other * np.log(p_other))
print(f"loss over the last 50 steps {np.mean(losses[-50:]):.3f} (the lowest possible, knowing the groups: {floor:.3f})")

# %% [markdown]
# To look at the 16-dimensional vectors we project them onto their first two principal components (an SVD of
# the centred embedding table), colouring each item by its hidden group. Next to it, the cosine similarities,
# with the items sorted by group.

# %% [markdown] lang="pt"
# Para ver os vetores de 16 dimensões, nós os projetamos nas duas primeiras componentes principais (uma SVD da
# tabela de embeddings centralizada), colorindo cada item pelo seu grupo oculto. Ao lado, as similaridades de
# cosseno, com os itens ordenados por grupo.

# %% [markdown] lang="es"
# Para ver los vectores de 16 dimensiones los proyectamos sobre sus dos primeras componentes principales (una SVD
# de la tabla de embeddings centrada) y coloreamos cada elemento según su grupo oculto. Al lado, las similitudes
# coseno, con los elementos ordenados por grupo.

# %%
weights = embedding.weight.detach().cpu().numpy()
centred = weights - weights.mean(0)
_, _, vt = np.linalg.svd(centred, full_matrices=False)
xy = centred @ vt[:2].T
groups = group.cpu().numpy()

LABELS = {
    "en": {"pc": "principal component", "scatter": "Item embeddings (PCA)", "group": "group",
           "cos": "Cosine similarity,\nitems sorted by group"},
    "pt": {"pc": "componente principal", "scatter": "Embeddings dos itens (PCA)", "group": "grupo",
           "cos": "Similaridade de cosseno,\nitens ordenados por grupo"},
    "es": {"pc": "componente principal", "scatter": "Embeddings de los elementos (PCA)", "group": "grupo",
           "cos": "Similitud coseno,\nelementos ordenados por grupo"},
}
by_group = np.argsort(groups, kind="stable")
for lang, t in figure_languages(LABELS):  # two panels stacked: side by side they are unreadable on a phone
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(6, 10.5))
    scatter = ax1.scatter(xy[:, 0], xy[:, 1], c=groups, cmap="tab10", s=40)
    ax1.set(xlabel=f"{t['pc']} 1", ylabel=f"{t['pc']} 2", title=t["scatter"])
    ax1.legend(*scatter.legend_elements(), title=t["group"], loc="best", ncols=2)
    image = ax2.imshow(cos[by_group][:, by_group], cmap="RdBu_r", vmin=-1, vmax=1)
    ax2.set(title=t["cos"], xticks=[], yticks=[])
    fig.colorbar(image, ax=ax2)
    show(fig, lang=lang)

# %%
assert gap >= 0.5, f"within-group similarity {within:.3f} is not 0.5 above between-group {between:.3f}"
say({
    "en": f"claim holds: same-group items have mean cosine similarity {within:.2f}, "
          f"different-group items {between:.2f} (gap {gap:.2f}, at least 0.5 required)",
    "pt": f"a afirmação se confirma: itens do mesmo grupo têm similaridade de cosseno média {within:.2f}, "
          f"de grupos diferentes {between:.2f} (diferença {gap:.2f}; exigida pelo menos 0,5)",
    "es": f"la afirmación se cumple: los elementos del mismo grupo tienen similitud coseno media {within:.2f}, "
          f"los de grupos distintos {between:.2f} (diferencia {gap:.2f}; se exige al menos 0,5)",
})
