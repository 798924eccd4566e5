// The vector paths of the gate kernels, written once for every vector width: gates.c includes
// this file once per width (AVX2: 8 lanes, AVX-512: 16), after defining
//   V, VI            the float and int32 vector types;      SUFFIX   the functions' name suffix;
//   TARGET_V         the target attribute of that width;     V_LANES  lanes per vector;
//   V_SPLAT, V_ADD, V_SUB, V_MUL, V_DIV, V_MIN, V_MAX, V_OR, V_AND_BITS(v, int mask), V_ZERO,
//   V_SEL_LT(a, b, yes, no), V_SEL_GE(a, b, yes, no)       (a < b ? yes : no, ordered, per lane),
//   VI_SPLAT, VI_ADD, VI_SUB, VI_SRAI, VI_SLLI, V_AS_INT, INT_AS_V,
//   V_LD(p, w), V_ST(v, p, w)   (w ≤ V_LANES lanes; a short load reads zeros past w).
// Every lane computes exactly what the portable path of gates.c computes for one value, operation
// for operation (no fused multiply-add: the file is built with -ffp-contract=off), so each width
// gives the same bits. V_MIN(c, x) and V_MAX(c, x) with the constant first are the clamps
// "x > c ? c : x" and "x < c ? c : x" (both return x when it is NaN, as those selections do).

#define GATES_CAT2(a, b) a##b
#define GATES_CAT(a, b) GATES_CAT2(a, b)
#define FN(name) GATES_CAT(name, SUFFIX)
#define INLINE_V TARGET_V __attribute__((always_inline)) static inline

/// e^x: Cephes expf with the input clamped to [−88, 88.8], 0 below −87.336… (as exp1).
INLINE_V V FN(exp_v)(V x) {
  V xc = V_MAX(V_SPLAT(-88.0f), V_MIN(V_SPLAT(88.8f), x));
  V t = V_ADD(V_MUL(xc, V_SPLAT(1.44269504088896341f)), V_SPLAT(12582912.0f));
  V n = V_SUB(t, V_SPLAT(12582912.0f));
  VI ni = VI_SUB(V_AS_INT(t), VI_SPLAT(0x4B400000));
  V r = V_SUB(xc, V_MUL(n, V_SPLAT(0.693359375f)));
  r = V_SUB(r, V_MUL(n, V_SPLAT(-2.12194440e-4f)));
  V z = V_MUL(r, r);
  V p = V_SPLAT(1.9875691500e-4f);
  p = V_ADD(V_MUL(p, r), V_SPLAT(1.3981999507e-3f));
  p = V_ADD(V_MUL(p, r), V_SPLAT(8.3334519073e-3f));
  p = V_ADD(V_MUL(p, r), V_SPLAT(4.1665795894e-2f));
  p = V_ADD(V_MUL(p, r), V_SPLAT(1.6666665459e-1f));
  p = V_ADD(V_MUL(p, r), V_SPLAT(5.0000001201e-1f));
  p = V_ADD(V_ADD(V_MUL(p, z), r), V_SPLAT(1.0f));
  VI n1 = VI_SRAI(ni, 1);
  VI n2 = VI_SUB(ni, n1);
  V s1 = INT_AS_V(VI_SLLI(VI_ADD(n1, VI_SPLAT(127)), 23));
  V s2 = INT_AS_V(VI_SLLI(VI_ADD(n2, VI_SPLAT(127)), 23));
  V y = V_MUL(V_MUL(p, s1), s2);
  return V_SEL_LT(x, V_SPLAT(-87.33654022216797f), V_ZERO, y);
}

/// tanh: an odd polynomial below 0.625, 1 − 2/(e^{2|x|} + 1) above, 1 from 9 on; sign restored.
INLINE_V V FN(tanh_v)(V x) {
  V sign = V_AND_BITS(x, (int)0x80000000u);
  V ax = V_AND_BITS(x, 0x7FFFFFFF);
  V z = V_MUL(ax, ax);
  V p = V_SPLAT(-5.70498872745e-3f);
  p = V_ADD(V_MUL(p, z), V_SPLAT(2.06390887954e-2f));
  p = V_SUB(V_MUL(p, z), V_SPLAT(5.37397155531e-2f));
  p = V_ADD(V_MUL(p, z), V_SPLAT(1.33314422036e-1f));
  p = V_SUB(V_MUL(p, z), V_SPLAT(3.33332819422e-1f));
  V small = V_ADD(V_MUL(V_MUL(p, z), ax), ax);
  V capped = V_MIN(V_SPLAT(9.0f), ax);
  V e = FN(exp_v)(V_ADD(capped, capped));
  V large = V_SUB(V_SPLAT(1.0f), V_DIV(V_SPLAT(2.0f), V_ADD(e, V_SPLAT(1.0f))));
  V t = V_SEL_LT(ax, V_SPLAT(0.625f), small, large);
  t = V_SEL_GE(ax, V_SPLAT(9.0f), V_SPLAT(1.0f), t);
  return V_OR(t, sign);
}

/// σ(x) = 1/(1 + e^−|x|) for x ≥ 0, e^−|x|/(1 + e^−|x|) below.
INLINE_V V FN(sigmoid_v)(V x) {
  V ax = V_AND_BITS(x, 0x7FFFFFFF);
  V e = FN(exp_v)(V_SUB(V_ZERO, ax));
  V num = V_SEL_LT(x, V_ZERO, e, V_SPLAT(1.0f));
  return V_DIV(num, V_ADD(V_SPLAT(1.0f), e));
}

TARGET_V static void FN(lstm_forward)(long n, long stride, float *g, const float *r, const float *c_prev, float *c,
                                      float *h) {
  const long H = stride;
  for (long j = 0; j < n; j += V_LANES) {
    long w = n - j < V_LANES ? n - j : V_LANES;
    V i = FN(sigmoid_v)(V_ADD(V_LD(g + j, w), V_LD(r + j, w)));
    V f = FN(sigmoid_v)(V_ADD(V_LD(g + H + j, w), V_LD(r + H + j, w)));
    V gg = FN(tanh_v)(V_ADD(V_LD(g + 2 * H + j, w), V_LD(r + 2 * H + j, w)));
    V o = FN(sigmoid_v)(V_ADD(V_LD(g + 3 * H + j, w), V_LD(r + 3 * H + j, w)));
    V c_new = V_ADD(V_MUL(f, V_LD(c_prev + j, w)), V_MUL(i, gg));
    V tc = FN(tanh_v)(c_new);
    V_ST(i, g + j, w);
    V_ST(f, g + H + j, w);
    V_ST(gg, g + 2 * H + j, w);
    V_ST(o, g + 3 * H + j, w);
    V_ST(c_new, c + j, w);
    V_ST(V_MUL(o, tc), h + j, w);
  }
}

TARGET_V static void FN(lstm_backward)(long n, const float *dh, float *dc, const float *g, const float *c_prev,
                                       const float *c, float *dg) {
  const long H = n;
  const V one = V_SPLAT(1.0f);
  for (long j = 0; j < n; j += V_LANES) {
    long w = n - j < V_LANES ? n - j : V_LANES;
    V i = V_LD(g + j, w), f = V_LD(g + H + j, w), gg = V_LD(g + 2 * H + j, w), o = V_LD(g + 3 * H + j, w);
    V tc = FN(tanh_v)(V_LD(c + j, w));
    V dhv = V_LD(dh + j, w);
    V dcv = V_ADD(V_MUL(V_MUL(dhv, o), V_SUB(one, V_MUL(tc, tc))), V_LD(dc + j, w));
    V_ST(V_MUL(V_MUL(V_MUL(dcv, gg), i), V_SUB(one, i)), dg + j, w);
    V_ST(V_MUL(V_MUL(V_MUL(dcv, V_LD(c_prev + j, w)), f), V_SUB(one, f)), dg + H + j, w);
    V_ST(V_MUL(V_MUL(dcv, i), V_SUB(one, V_MUL(gg, gg))), dg + 2 * H + j, w);
    V_ST(V_MUL(V_MUL(V_MUL(dhv, tc), o), V_SUB(one, o)), dg + 3 * H + j, w);
    V_ST(V_MUL(dcv, f), dc + j, w);
  }
}

TARGET_V static void FN(gru_forward)(long n, long stride, float *g, const float *r, const float *h_prev, float *hn,
                                     float *h) {
  const long H = stride;
  const V one = V_SPLAT(1.0f);
  for (long j = 0; j < n; j += V_LANES) {
    long w = n - j < V_LANES ? n - j : V_LANES;
    V rv = FN(sigmoid_v)(V_ADD(V_LD(g + j, w), V_LD(r + j, w)));
    V zv = FN(sigmoid_v)(V_ADD(V_LD(g + H + j, w), V_LD(r + H + j, w)));
    V hnv = V_LD(r + 2 * H + j, w);
    V nv = FN(tanh_v)(V_ADD(V_LD(g + 2 * H + j, w), V_MUL(rv, hnv)));
    V hp = V_LD(h_prev + j, w);
    V_ST(rv, g + j, w);
    V_ST(zv, g + H + j, w);
    V_ST(nv, g + 2 * H + j, w);
    V_ST(hnv, hn + j, w);
    V_ST(V_ADD(V_MUL(V_SUB(one, zv), nv), V_MUL(zv, hp)), h + j, w);
  }
}

TARGET_V static void FN(tanh_rnn_forward)(long n, const float *g, const float *r, float *h) {
  for (long j = 0; j < n; j += V_LANES) {
    long w = n - j < V_LANES ? n - j : V_LANES;
    V_ST(FN(tanh_v)(V_ADD(V_LD(g + j, w), V_LD(r + j, w))), h + j, w);
  }
}

#undef FN
#undef INLINE_V
#undef GATES_CAT
#undef GATES_CAT2
