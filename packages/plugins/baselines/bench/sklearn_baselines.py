#!/usr/bin/python3
"""scikit-learn's side of `npm run bench:baselines`.

Usage: sklearn_baselines.py DIR REPEATS

Reads DIR/A.npy (m x n), DIR/Y.npy (rhs x m), DIR/M.npy (the randomized SVD input) and DIR/params.json written by
baselines.mjs, times scikit-learn on one core (BLAS threads pinned to 1) with
time.perf_counter, saves its solutions next to the inputs (so the JS side can
check both solved the same problems) and prints the timings as JSON.
"""
import json
import os
import sys

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[var] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.linear_model import Lasso, orthogonal_mp  # noqa: E402
from sklearn.utils.extmath import randomized_svd  # noqa: E402


def timeit(fn, repeats):
    """Wall time (time.perf_counter) and this process's CPU time (time.process_time) per call."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"median_ms": float(np.median(wall)) * 1e3, "min_ms": float(np.min(wall)) * 1e3, "cpu_min_ms": float(np.min(cpu)) * 1e3, "repeats": repeats}


def main():
    folder, repeats = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(folder, "params.json")) as f:
        p = json.load(f)
    A = np.load(os.path.join(folder, "A.npy"))
    Y = np.load(os.path.join(folder, "Y.npy"))
    k, alpha = p["k"], p["alpha"]
    # scikit-learn's preferred layout (Fortran order), made outside the timed region.
    Af = np.asfortranarray(A)
    y = Y[0].copy()
    Yt = np.asfortranarray(Y.T)
    many = max(1, repeats // 10)
    M = np.load(os.path.join(folder, "M.npy"))
    rs = p["rsvd"]

    def rsvd():
        return randomized_svd(M, rs["rank"], n_oversamples=rs["oversample"], n_iter=rs["powerIters"], random_state=0)

    def lasso_one():
        return Lasso(alpha=alpha, fit_intercept=False).fit(Af, y).coef_

    def lasso_many(precompute):
        return Lasso(alpha=alpha, fit_intercept=False, precompute=precompute).fit(Af, Yt).coef_

    out = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "omp": timeit(lambda: orthogonal_mp(Af, y, n_nonzero_coefs=k), repeats),
        "lasso": timeit(lasso_one, repeats),
        # orthogonal_mp picks the Gram route itself only when m > n; time both routes.
        "omp_many": timeit(lambda: orthogonal_mp(Af, Yt, n_nonzero_coefs=k), many),
        "omp_many_gram": timeit(lambda: orthogonal_mp(Af, Yt, n_nonzero_coefs=k, precompute=True), many),
        "lasso_many": timeit(lambda: lasso_many(False), many),
        "lasso_many_gram": timeit(lambda: lasso_many(True), many),
        "rsvd": timeit(rsvd, many),
    }
    U, s, Vt = rsvd()
    np.save(os.path.join(folder, "sk_rsvd_U.npy"), U)
    np.save(os.path.join(folder, "sk_rsvd_s.npy"), s)
    np.save(os.path.join(folder, "sk_rsvd_Vt.npy"), Vt)
    np.save(os.path.join(folder, "sk_omp.npy"), orthogonal_mp(Af, y, n_nonzero_coefs=k))
    np.save(os.path.join(folder, "sk_lasso.npy"), lasso_one())
    np.save(os.path.join(folder, "sk_omp_many.npy"), np.ascontiguousarray(orthogonal_mp(Af, Yt, n_nonzero_coefs=k).T))
    np.save(os.path.join(folder, "sk_lasso_many.npy"), np.ascontiguousarray(lasso_many(False)))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
