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
# # Timing matrix multiplication on CPU and GPU

# %% [markdown] lang="pt"
# # Medindo o tempo da multiplicação de matrizes na CPU e na GPU

# %% [markdown] lang="es"
# # Midiendo el tiempo de la multiplicación de matrices en CPU y GPU

# %% [markdown]
# Matrix multiplication is the core operation of deep learning, and it is what GPUs are built to do fast. We
# multiply random square float32 matrices of growing size, time them, and convert the time into GFLOP/s
# (billions of floating-point operations per second), on the CPU with one thread and with two, and on a CUDA GPU
# too when one is present. The claims we check: the products are correct (compared with a float64 reference),
# and on the CPU some large product (512 x 512 or bigger) does at least as much work per second as the smallest
# one, 32 x 32. All figures below were measured on the build machine named in the output; on another machine
# they will differ.

# %% [markdown] lang="pt"
# A multiplicação de matrizes é a operação central do aprendizado profundo, e é o que as GPUs foram feitas para
# calcular rápido. Multiplicamos matrizes quadradas aleatórias em float32, de tamanho crescente, medimos o tempo
# e o convertemos em GFLOP/s (bilhões de operações de ponto flutuante por segundo), na CPU com uma e com duas
# threads, e também numa GPU CUDA, quando houver uma. O que verificamos: os produtos estão corretos (comparados
# com uma referência em float64), e na CPU algum produto grande (512 x 512 ou maior) rende pelo menos tanto
# trabalho por segundo quanto o menor, 32 x 32. Todos os números abaixo foram medidos na máquina de build
# indicada na saída; em outra máquina serão diferentes.

# %% [markdown] lang="es"
# La multiplicación de matrices es la operación central del aprendizaje profundo, y es justo lo que las GPU
# están hechas para calcular deprisa. Multiplicamos matrices cuadradas aleatorias en float32, de tamaño
# creciente, medimos el tiempo y lo convertimos en GFLOP/s (miles de millones de operaciones de coma flotante por
# segundo), en la CPU con uno y con dos hilos, y también en una GPU CUDA cuando la hay. Lo que comprobamos: los
# productos son correctos (comparados con una referencia en float64), y en la CPU algún producto grande (512 x 512
# o mayor) rinde al menos tanto trabajo por segundo como el más pequeño, 32 x 32. Todas las cifras de abajo se
# midieron en la máquina de compilación indicada en la salida; en otra máquina serán distintas.

# %%
import os
import platform
import random
import statistics
import time

import matplotlib.pyplot as plt
import numpy as np
import torch

from glossary_tools.notebooks.i18n import figure_languages, say, show
from glossary_tools.notebooks.kernel import threads

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
# Full float32 precision everywhere (no TF32 shortcut on GPUs), so every device computes the same thing.
torch.set_float32_matmul_precision("highest")
QUICK = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
SIZES = [32, 64, 128, 256, 512, 1024] if QUICK else [32, 64, 128, 256, 512, 1024, 2048]

# What we measure: the CPU with one thread and with (up to) two, within the cores this kernel may use
# (its share when examples run side by side), and the GPU when there is one. GLOSSARY_DEVICE=cpu forces CPU only.
CPU_THREADS = sorted({1, threads(2)})
forced = os.environ.get("GLOSSARY_DEVICE")
targets = [(f"cpu, {t} thread{'s' if t > 1 else ''}", torch.device("cpu"), t) for t in CPU_THREADS]
if torch.cuda.is_available() and forced != "cpu":
    gpu = torch.device(forced if forced and forced.startswith("cuda") else "cuda")
    targets.append(("gpu", gpu, None))


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


print(f"CPU: {cpu_name()}, {os.cpu_count()} logical cores, measured with {CPU_THREADS} torch thread(s)")
if any(d.type == "cuda" for _, d, _ in targets):
    print(f"GPU: {torch.cuda.get_device_name(gpu)}")
print(f"torch {torch.__version__}, sizes: {SIZES}")

# %% [markdown]
# First, correctness: a float32 product should agree with the same product computed in float64 up to float32
# rounding. We measure the relative error of the whole matrix (Frobenius norm).

# %% [markdown] lang="pt"
# Primeiro, a correção: um produto em float32 deve concordar com o mesmo produto calculado em float64, a menos do
# arredondamento do float32. Medimos o erro relativo da matriz inteira (norma de Frobenius).

# %% [markdown] lang="es"
# Primero, la corrección: un producto en float32 debe coincidir con el mismo producto calculado en float64, salvo
# por el redondeo de float32. Medimos el error relativo de la matriz entera (norma de Frobenius).

# %%
n_check = 512
a64, b64 = torch.randn(n_check, n_check, dtype=torch.float64), torch.randn(n_check, n_check, dtype=torch.float64)
reference = a64 @ b64
rel_error = {}
for d in {d for _, d, _ in targets}:
    product = (a64.float().to(d) @ b64.float().to(d)).double().cpu()
    rel_error[d.type] = (torch.linalg.norm(product - reference) / torch.linalg.norm(reference)).item()
    print(f"{d.type}: relative error of a {n_check}x{n_check} float32 product vs float64: {rel_error[d.type]:.2e}")

# %% [markdown]
# Now the timings. An n x n product takes n³ multiplications and n²(n - 1) additions, which is conventionally
# counted as 2n³ floating-point operations. For each size we run a few warm-up products, then time several with
# `time.perf_counter` and keep the median. GPU work is asynchronous, so we call `torch.cuda.synchronize()`
# before reading the clock.

# %% [markdown] lang="pt"
# Agora os tempos. Um produto n x n faz n³ multiplicações e n²(n - 1) somas, o que por convenção se conta como
# 2n³ operações de ponto flutuante. Para cada tamanho rodamos alguns produtos de aquecimento, depois
# cronometramos vários com `time.perf_counter` e ficamos com a mediana. O trabalho na GPU é assíncrono, por isso
# chamamos `torch.cuda.synchronize()` antes de ler o relógio.

# %% [markdown] lang="es"
# Ahora los tiempos. Un producto n x n hace n³ multiplicaciones y n²(n - 1) sumas, que por convención se cuentan
# como 2n³ operaciones de coma flotante. Para cada tamaño hacemos algunos productos de calentamiento, luego
# cronometramos varios con `time.perf_counter` y nos quedamos con la mediana. El trabajo en la GPU es asíncrono,
# así que llamamos a `torch.cuda.synchronize()` antes de leer el reloj.

# %%
def median_seconds(a, b, device, warmup=2, repeats=5):
    times = []
    for i in range(warmup + repeats):
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        t0 = time.perf_counter()
        a @ b
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


gflops = {label: {} for label, _, _ in targets}
rows = []
for label, d, threads in targets:
    if threads:
        torch.set_num_threads(threads)
    for n in SIZES:
        a, b = torch.randn(n, n, device=d), torch.randn(n, n, device=d)
        # small products are fast and noisy: time more of them (a 2048 product takes a while on CPU)
        repeats = 20 if d.type == "cuda" else (50 if n <= 512 else 15 if n <= 1024 else 5)
        t = median_seconds(a, b, d, warmup=10 if d.type == "cuda" else 2, repeats=repeats)
        gflops[label][n] = 2 * n**3 / t / 1e9
        rows.append((label, n, t, gflops[label][n]))

print(f"{'measured on':<16} {'n':>5} {'median time (ms)':>17} {'GFLOP/s':>9}")
for label, n, t, g in rows:
    print(f"{label:<16} {n:5d} {t * 1e3:17.3f} {g:9.2f}")
cpu_labels = [label for label, d, _ in targets if d.type == "cpu"]
if "gpu" in gflops:
    n = SIZES[-1]
    best_cpu = max(gflops[label][n] for label in cpu_labels)
    print(f"at n={n} the GPU did {gflops['gpu'][n] / best_cpu:.0f}x the GFLOP/s of the faster CPU setting")

LABELS = {
    "en": {"x": "matrix size n (n x n, float32)", "y": "GFLOP/s (2n³ / median time)",
           "title": "Matrix multiplication speed\non the build machine"},
    "pt": {"x": "tamanho da matriz n (n x n, float32)", "y": "GFLOP/s (2n³ / tempo mediano)",
           "title": "Velocidade da multiplicação de matrizes\nna máquina que construiu o site"},
    "es": {"x": "tamaño de la matriz n (n x n, float32)", "y": "GFLOP/s (2n³ / tiempo mediano)",
           "title": "Velocidad de la multiplicación de matrices\nen la máquina que construyó el sitio"},
}
for lang, t in figure_languages(LABELS):
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for label, d, _ in targets:
        name = torch.cuda.get_device_name(d) if d.type == "cuda" else cpu_name()
        ax.plot(SIZES, [gflops[label][n] for n in SIZES], marker="o", label=f"{label}: {name}")
    ax.set(xscale="log", yscale="log", xlabel=t["x"], ylabel=t["y"], title=t["title"])
    ax.set_xticks(SIZES, [str(n) for n in SIZES])
    ax.legend()
    show(fig, lang=lang)

# %% [markdown]
# Small products leave the hardware partly idle (fixed overheads and memory traffic dominate); larger ones keep it
# busy. A second thread pays off only for large products, and only when the machine has a core to spare: on a
# machine busy with other jobs, the threads of one product wait for each other and small products can get much
# slower. The table shows what was actually measured, not a smoothed curve.

# %% [markdown] lang="pt"
# Produtos pequenos deixam o hardware parcialmente ocioso (o custo fixo e o tráfego de memória dominam); os maiores
# o mantêm ocupado. Uma segunda thread só compensa em produtos grandes, e só quando a máquina tem um núcleo
# livre: numa máquina ocupada com outros trabalhos, as threads de um mesmo produto esperam umas pelas outras e os
# produtos pequenos podem ficar bem mais lentos. A tabela mostra o que foi realmente medido, não uma curva suavizada.

# %% [markdown] lang="es"
# Los productos pequeños dejan el hardware en parte ocioso (dominan los costes fijos y el tráfico de memoria); los
# más grandes lo mantienen ocupado. Un segundo hilo solo compensa en productos grandes, y solo si la máquina tiene
# un núcleo libre: en una máquina ocupada con otros trabajos, los hilos de un mismo producto se esperan entre sí y
# los productos pequeños pueden volverse mucho más lentos. La tabla muestra lo que se midió de verdad, no una
# curva suavizada.

# %%
for dev, err in rel_error.items():
    assert err < 1e-4, f"{dev}: relative error {err:.2e} of the float32 product exceeds 1e-4"
for label in cpu_labels:
    small, large_best = gflops[label][SIZES[0]], max(gflops[label][n] for n in SIZES if n >= 512)
    assert large_best >= small, (
        f"{label}: best GFLOP/s at n >= 512 ({large_best:.1f}) is below that at n={SIZES[0]} ({small:.1f})")
    print(f"{label}: best {large_best:.1f} GFLOP/s at n >= 512 vs {small:.2f} at n={SIZES[0]}")
errors = ", ".join(f"{k} {v:.1e}" for k, v in rel_error.items())
say({
    "en": f"claim holds: products correct (errors {errors}), "
          "and large products run at least as fast per operation as the smallest on the CPU",
    "pt": f"a afirmação se confirma: produtos corretos (erros {errors}), e na CPU os produtos grandes rodam pelo "
          "menos tão rápido por operação quanto o menor",
    "es": f"la afirmación se cumple: productos correctos (errores {errors}), y en la CPU los productos grandes van "
          "al menos tan rápido por operación como el más pequeño",
})
