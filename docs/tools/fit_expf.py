#!/usr/bin/env python3
"""Fits the polynomial the batch shape's vector e^x uses for e^r, r in [-ln 2/2, ln 2/2].

    e^r ~ 1 + r + c2 r^2 + c3 r^3 + c4 r^4 + c5 r^5 + c6 r^6

minimizing the largest relative error (Lawson's iteratively reweighted least squares on
Chebyshev nodes), then checks it in float32 arithmetic as the generated code computes it:
Horner's rule with fused multiply-adds, the range reduction, and 2^n added to the exponent
bits. Run with Debian's python3 and python3-numpy:

    python3 docs/tools/fit_expf.py

The coefficients it prints are BatchAlgebra.ExpCoefficients (generator/BackpropGen.Generator/
Emit/BatchEmitter.cs), highest power first. Printed here on 2026-12-02: c6..c2 =
0.001381461275741458 0.008368710055947304 0.04166838899254799 0.1666652113199234
0.4999999403953552; float32 e^x on [-87, 87] within 1.25 half-ulps (units of 2^-24
relative). It replaced Cephes' expf polynomial, one degree higher, to save a multiply-add.
"""
import numpy as np

HIGHEST = 6
half = np.log(2) / 2
r = half * np.cos(np.pi * (np.arange(4000) + 0.5) / 4000)
powers = np.stack([r ** k for k in range(2, HIGHEST + 1)], axis=1) / np.exp(r)[:, None]
target = (np.expm1(r) - r) / np.exp(r)
weights = np.ones_like(r)
for _ in range(300):
    root = np.sqrt(weights)
    c, *_ = np.linalg.lstsq(powers * root[:, None], target * root, rcond=None)
    error = powers @ c - target
    weights = weights * np.abs(error)
    weights /= weights.sum()

coefficients = [np.float32(v) for v in c]  # c2 .. c6
print("c6..c2:", " ".join(repr(float(v)) for v in reversed(coefficients)))


def fma(x, y, z):
    # A float32 fused multiply-add: the float64 product of two float32 values is exact.
    return (x.astype(np.float64) * y.astype(np.float64) + z.astype(np.float64)).astype(np.float32)


f32 = np.float32
x = np.linspace(-87, 87, 2000001).astype(f32)
full = lambda value: np.full_like(x, f32(value))
t = fma(x, full(1.44269504088896341), full(12582912.0))
n = (t - f32(12582912.0)).astype(f32)
red = fma(n, full(-0.693359375), x)
red = fma(n, full(2.12194440e-4), red)
p = np.full_like(x, coefficients[-1])
for v in reversed(coefficients[:-1]):
    p = fma(p, red, full(v))
p = fma(p, red, full(1))
p = fma(p, red, full(1))
y = (p.view(np.int32) + (t.view(np.int32) << 23)).view(f32)
relative = np.abs(y.astype(np.float64) / np.exp(x.astype(np.float64)) - 1)
print("float32 e^x on [-87, 87]: largest relative error", relative.max(), "=", relative.max() / 2 ** -24, "half-ulps")
