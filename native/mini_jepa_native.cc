// mini-jepa native kernels: the heavy tfjs kernels (matmul, conv2d and its two gradients on oneDNN;
// the Adam update, elementwise ops and reductions as vectorised loops), working in place on the
// tfjs wasm backend's heap. Loaded, when it built, by
// lib/backend/native/addon.ts; the kernels that call it are in lib/backend/native/*.ts.
//
// Every function takes the wasm heap (a Uint8Array over WebAssembly.Memory) and byte offsets of
// tensors inside it: no copies. Offsets and sizes are checked against the heap before any call.
// Plain N-API (node_api.h, shipped with Node): no npm dependency, builds offline.
#include <node_api.h>
#include <omp.h>
#include <pthread.h>
#include <signal.h>
#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define MINI_JEPA_HAS_MXCSR 1
#endif

#include <cmath>
#include <cstdint>
#include <cstring>
#include <list>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

namespace {

// Bumped whenever a parameter layout changes: lib/backend/native/addon.ts refuses an addon built
// from another version (a stale build would read the wrong numbers).
constexpr int32_t kApiVersion = 3;  // (FTZ/DAZ and signal blocking change no layout)

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine& cpuEngine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}
dnnl::stream& cpuStream() {
  static dnnl::stream s(cpuEngine());
  return s;
}

/**
 * Blocks signals while oneDNN runs. Measured here (oneDNN 2.6.3, Debian): a signal arriving inside
 * dnnl_sgemm's JIT kernels (AVX2 and up; SSE4.1 is fine) corrupts the C heap (a plain C loop of
 * sgemm calls with a SIGPROF timer aborts in free() within seconds; blocking signals around the
 * calls, or OpenBLAS instead, runs clean). Node gets signals from its profiler, SIGCHLD from
 * children and SIGINT from a notebook's interrupt button; they are delivered when the call returns.
 * OpenMP threads started inside a block inherit the blocked mask, so they never take them.
 */
class SignalBlock {
 public:
  SignalBlock() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old_);
  }
  ~SignalBlock() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;

 private:
  sigset_t old_;
};

/**
 * Treats denormal floats (|x| < 1.2e-38) as zero while a kernel runs (x86 MXCSR flush-to-zero and
 * denormals-are-zero; restored after, so JavaScript's arithmetic is untouched). Measured here: a
 * 256x64 by 64x256 sgemm took 15 ms with denormal inputs and 53 us with this; the mini JEPA's
 * zero-initialised predictor makes such gradients at the start of training. GPUs do the same.
 */
class FlushDenormals {
 public:
#ifdef MINI_JEPA_HAS_MXCSR
  FlushDenormals() : old_(_mm_getcsr()) { _mm_setcsr(old_ | kFtzDaz); }
  ~FlushDenormals() { _mm_setcsr(old_); }
  static void setForThisThread() { _mm_setcsr(_mm_getcsr() | kFtzDaz); }

 private:
  static constexpr unsigned kFtzDaz = 0x8040;
  unsigned old_;
#else
  static void setForThisThread() {}
#endif
};

/**
 * One thread for a matmul too small to share. With MINI_JEPA_THREADS=2 on the 2-core machine,
 * waking the second (passively waiting) OpenMP thread cost ~75 us a call: a 256x128 by 128x128
 * sgemm took 123 us on 2 threads and 60 on one; they tie at M*N*K = 2^25 (256x512x256: 365 vs
 * 370 us), and above it 2 threads win (512^3: 794 vs 1546 us). Restores the count on exit.
 */
class ThreadsForWork {
 public:
  static constexpr double kMinWork = 33554432.0;  // M*N*K below which one thread runs (2^25)
  explicit ThreadsForWork(double work) : old_(omp_get_max_threads()) {
    if (old_ > 1 && work < kMinWork) omp_set_num_threads(1);
  }
  ~ThreadsForWork() {
    if (omp_get_max_threads() != old_) omp_set_num_threads(old_);
  }
  ThreadsForWork(const ThreadsForWork&) = delete;
  ThreadsForWork& operator=(const ThreadsForWork&) = delete;

 private:
  int old_;
};

/** What every oneDNN call runs under: signals held back, denormals flushed. */
struct QuietCall {
  SignalBlock signals;
  FlushDenormals denormals;
};

// ---------------------------------------------------------------------------------------------
// N-API helpers

struct Args {
  napi_env env;
  std::vector<napi_value> v;
};

Args args(napi_env env, napi_callback_info info, size_t n) {
  Args a{env, std::vector<napi_value>(n)};
  size_t got = n;
  napi_get_cb_info(env, info, &got, a.v.data(), nullptr, nullptr);
  if (got < n) throw std::invalid_argument("expected " + std::to_string(n) + " arguments, got " + std::to_string(got));
  return a;
}

/** The wasm heap: base pointer and byte length of a Uint8Array (over an ArrayBuffer or SharedArrayBuffer). */
struct Heap {
  uint8_t* base;
  size_t bytes;
  float* f32(double byteOffset, double elements) const {
    if (byteOffset < 0 || elements < 0 || byteOffset + 4 * elements > static_cast<double>(bytes) ||
        static_cast<int64_t>(byteOffset) % 4 != 0) {
      throw std::out_of_range("tensor outside the wasm heap (offset " + std::to_string(byteOffset) + ", " +
                              std::to_string(elements) + " floats, heap " + std::to_string(bytes) + " bytes)");
    }
    return reinterpret_cast<float*>(base + static_cast<size_t>(byteOffset));
  }
};

Heap heapOf(napi_env env, napi_value v) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok || type != napi_uint8_array) {
    throw std::invalid_argument("first argument must be the wasm heap (a Uint8Array)");
  }
  return Heap{static_cast<uint8_t*>(data), length};
}

/** The numeric parameters, passed as one Float64Array (one N-API call instead of dozens). */
struct Params {
  const double* p;
  size_t n;
  double operator[](size_t i) const {
    if (i >= n) throw std::out_of_range("parameter " + std::to_string(i) + " missing");
    return p[i];
  }
  int64_t i(size_t k) const { return static_cast<int64_t>((*this)[k]); }
};

Params paramsOf(napi_env env, napi_value v) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok || type != napi_float64_array) {
    throw std::invalid_argument("second argument must be a Float64Array of parameters");
  }
  return Params{static_cast<const double*>(data), length};
}

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

/** Runs `body`, turning C++ and oneDNN exceptions into JavaScript errors. */
template <typename F>
napi_value guarded(napi_env env, const char* what, F body) {
  try {
    return body();
  } catch (const dnnl::error& e) {
    napi_throw_error(env, nullptr, (std::string(what) + ": oneDNN: " + e.what() + " (status " + std::to_string(e.status) + ")").c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, (std::string(what) + ": " + e.what()).c_str());
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Activations applied after a product (the "fused" part of _FusedMatMul / FusedConv2D).
// Codes as lib/backend/native/activation.ts: 0 linear, 1 relu, 2 relu6, 3 leakyrelu, 4 sigmoid, 5 elu.

void activate(float* y, int64_t n, int act, float alpha) {
  switch (act) {
    case 0: return;
    case 1: for (int64_t i = 0; i < n; i++) y[i] = y[i] > 0 ? y[i] : 0; return;
    case 2: for (int64_t i = 0; i < n; i++) y[i] = y[i] < 0 ? 0 : (y[i] > 6 ? 6 : y[i]); return;
    case 3: for (int64_t i = 0; i < n; i++) y[i] = y[i] < 0 ? alpha * y[i] : y[i]; return;
    case 4: for (int64_t i = 0; i < n; i++) y[i] = 1.0f / (1.0f + std::exp(-y[i])); return;
    case 5: for (int64_t i = 0; i < n; i++) y[i] = y[i] < 0 ? std::expm1(y[i]) : y[i]; return;
    default: throw std::invalid_argument("unknown activation code " + std::to_string(act));
  }
}

dnnl::post_ops postOps(int act, float alpha) {
  dnnl::post_ops ops;
  switch (act) {
    case 0: break;
    case 1: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f); break;
    case 2: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, 0.f, 6.f); break;
    case 3: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, alpha, 0.f); break;
    case 4: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_logistic, 0.f, 0.f); break;
    case 5: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_elu, 1.f, 0.f); break;
    default: throw std::invalid_argument("unknown activation code " + std::to_string(act));
  }
  return ops;
}

// ---------------------------------------------------------------------------------------------
// gemm(heap, p): C[b] = op(A[b]) @ op(B[b]) (+ bias) (activation), row-major, for b < batch.
// p = [transA, transB, M, N, K, aOff, bOff, cOff, batch, aStride, bStride, cStride, biasOff, act, alpha]
// Offsets in bytes, strides in elements (0 broadcasts an operand over the batch); biasOff < 0: none.

napi_value Gemm(napi_env env, napi_callback_info info) {
  return guarded(env, "gemm", [&]() {
    Args a = args(env, info, 2);
    Heap heap = heapOf(env, a.v[0]);
    Params p = paramsOf(env, a.v[1]);
    const bool tA = p[0] != 0, tB = p[1] != 0;
    const int64_t M = p.i(2), N = p.i(3), K = p.i(4), batch = p.i(8);
    const int64_t sA = p.i(9), sB = p.i(10), sC = p.i(11);
    const int act = static_cast<int>(p[13]);
    const float alpha = static_cast<float>(p[14]);
    float* A = heap.f32(p[5], static_cast<double>((batch - 1) * sA + M * K));
    float* B = heap.f32(p[6], static_cast<double>((batch - 1) * sB + K * N));
    float* C = heap.f32(p[7], static_cast<double>((batch - 1) * sC + M * N));
    const float* bias = p[12] >= 0 ? heap.f32(p[12], static_cast<double>(N)) : nullptr;
    const int64_t lda = tA ? M : K, ldb = tB ? K : N;
    QuietCall quiet;
    ThreadsForWork threads(static_cast<double>(M) * N * K);
    for (int64_t b = 0; b < batch; b++) {
      float* c = C + b * sC;
      if (K == 0) {
        std::memset(c, 0, sizeof(float) * M * N);
      } else {
        dnnl_status_t st = dnnl_sgemm(tA ? 'T' : 'N', tB ? 'T' : 'N', M, N, K, 1.f, A + b * sA, lda, B + b * sB, ldb, 0.f, c, N);
        if (st != dnnl_success) throw std::runtime_error("dnnl_sgemm failed with status " + std::to_string(st));
      }
      if (bias) {
        for (int64_t i = 0; i < M; i++) {
          float* row = c + i * N;
          for (int64_t j = 0; j < N; j++) row[j] += bias[j];
        }
      }
      activate(c, M * N, act, alpha);
    }
    return undefined(env);
  });
}

// ---------------------------------------------------------------------------------------------
// Convolutions, NHWC activations and HWIO filters (tfjs's layouts), primitives cached by shape.

struct ConvShape {
  int64_t B, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, dH, dW, pT, pL, pB, pR;
  bool bias;
  int act;
  float alpha;
  std::string key(int kind) const {
    char buf[320];
    std::snprintf(buf, sizeof buf, "%d:%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld:%d:%d:%g", kind,
                  (long long)B, (long long)H, (long long)W, (long long)Ci, (long long)OH, (long long)OW, (long long)Co,
                  (long long)KH, (long long)KW, (long long)sH, (long long)sW, (long long)dH, (long long)dW, (long long)pT,
                  (long long)pL, (long long)pB, (long long)pR, bias ? 1 : 0, act, alpha);
    return buf;
  }
  memory::desc src() const { return memory::desc({B, Ci, H, W}, dt::f32, tag::nhwc); }
  memory::desc dst() const { return memory::desc({B, Co, OH, OW}, dt::f32, tag::nhwc); }
  memory::desc userWeights() const { return memory::desc({Co, Ci, KH, KW}, dt::f32, tag::hwio); }
  memory::desc anyWeights() const { return memory::desc({Co, Ci, KH, KW}, dt::f32, tag::any); }
  memory::desc biasDesc() const { return memory::desc({Co}, dt::f32, tag::a); }
  memory::dims strides() const { return {sH, sW}; }
  memory::dims dilations() const { return {dH - 1, dW - 1}; }  // oneDNN counts extra gaps: 0 = none
  memory::dims padL() const { return {pT, pL}; }
  memory::dims padR() const { return {pB, pR}; }
};

ConvShape convShape(const Params& p) {
  ConvShape s{p.i(0), p.i(1), p.i(2), p.i(3), p.i(4), p.i(5), p.i(6), p.i(7), p.i(8), p.i(9), p.i(10), p.i(11),
              p.i(12), p.i(13), p.i(14), p.i(15), p.i(16), p[17] >= 0, static_cast<int>(p[21]), static_cast<float>(p[22])};
  return s;
}

dnnl::convolution_forward::desc forwardDesc(const ConvShape& s, bool bias) {
  if (bias) {
    return dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                           s.src(), s.anyWeights(), s.biasDesc(), s.dst(), s.strides(), s.dilations(),
                                           s.padL(), s.padR());
  }
  return dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, s.src(),
                                         s.anyWeights(), s.dst(), s.strides(), s.dilations(), s.padL(), s.padR());
}

/** A cached primitive and, where its weights format differs from HWIO, the reorder to/from it. */
struct ConvPlan {
  dnnl::primitive prim;
  memory::desc weights;  // the primitive's weights (or diff weights) format
  bool reorder = false;
  dnnl::reorder toPrim, fromPrim;
  std::string impl;
};

/** Least-recently-used cache of plans (a training loop meets a handful of shapes). */
class PlanCache {
 public:
  ConvPlan* find(const std::string& k) {
    auto it = map_.find(k);
    if (it == map_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second.second);
    return &it->second.first;
  }
  ConvPlan* put(const std::string& k, ConvPlan plan) {
    if (map_.size() >= kMax) {
      map_.erase(order_.back());
      order_.pop_back();
    }
    order_.push_front(k);
    auto r = map_.emplace(k, std::make_pair(std::move(plan), order_.begin()));
    return &r.first->second.first;
  }
  size_t size() const { return map_.size(); }
  void clear() {
    map_.clear();
    order_.clear();
  }

 private:
  static constexpr size_t kMax = 256;
  std::unordered_map<std::string, std::pair<ConvPlan, std::list<std::string>::iterator>> map_;
  std::list<std::string> order_;
};

PlanCache& plans() {
  static PlanCache c;
  return c;
}

ConvPlan makeForward(const ConvShape& s) {
  dnnl::primitive_attr attr;
  attr.set_post_ops(postOps(s.act, s.alpha));
  dnnl::convolution_forward::primitive_desc pd(forwardDesc(s, s.bias), attr, cpuEngine());
  ConvPlan plan;
  plan.prim = dnnl::convolution_forward(pd);
  plan.weights = pd.weights_desc();
  plan.reorder = plan.weights != s.userWeights();
  if (plan.reorder) plan.toPrim = dnnl::reorder(memory(s.userWeights(), cpuEngine(), nullptr), memory(plan.weights, cpuEngine(), nullptr));
  plan.impl = pd.impl_info_str();
  return plan;
}

ConvPlan makeBackwardData(const ConvShape& s) {
  dnnl::convolution_forward::primitive_desc hint(forwardDesc(s, false), cpuEngine());
  dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, s.src(), s.anyWeights(), s.dst(),
                                          s.strides(), s.dilations(), s.padL(), s.padR());
  dnnl::convolution_backward_data::primitive_desc pd(d, cpuEngine(), hint);
  ConvPlan plan;
  plan.prim = dnnl::convolution_backward_data(pd);
  plan.weights = pd.weights_desc();
  plan.reorder = plan.weights != s.userWeights();
  if (plan.reorder) plan.toPrim = dnnl::reorder(memory(s.userWeights(), cpuEngine(), nullptr), memory(plan.weights, cpuEngine(), nullptr));
  plan.impl = pd.impl_info_str();
  return plan;
}

ConvPlan makeBackwardWeights(const ConvShape& s) {
  dnnl::convolution_forward::primitive_desc hint(forwardDesc(s, false), cpuEngine());
  dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, s.src(), s.anyWeights(), s.dst(),
                                             s.strides(), s.dilations(), s.padL(), s.padR());
  dnnl::convolution_backward_weights::primitive_desc pd(d, cpuEngine(), hint);
  ConvPlan plan;
  plan.prim = dnnl::convolution_backward_weights(pd);
  plan.weights = pd.diff_weights_desc();
  plan.reorder = plan.weights != s.userWeights();
  if (plan.reorder) plan.fromPrim = dnnl::reorder(memory(plan.weights, cpuEngine(), nullptr), memory(s.userWeights(), cpuEngine(), nullptr));
  plan.impl = pd.impl_info_str();
  return plan;
}

ConvPlan* planFor(const ConvShape& s, int kind) {
  std::string k = s.key(kind);
  if (ConvPlan* hit = plans().find(k)) return hit;
  return plans().put(k, kind == 0 ? makeForward(s) : kind == 1 ? makeBackwardData(s) : makeBackwardWeights(s));
}

/** Weights scratch in the primitive's format (grown as needed, reused). */
float* weightScratch(size_t bytes) {
  static std::vector<float> buf;
  if (buf.size() * sizeof(float) < bytes) buf.resize((bytes + sizeof(float) - 1) / sizeof(float));
  return buf.data();
}

// conv(heap, p): kind 0 forward y = act(conv(x, w) + bias); 1 input gradient dx = conv^T(dy, w);
// 2 filter gradient dw = corr(x, dy).
// p = [B, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, dH, dW, padTop, padLeft, padBottom, padRight,
//      biasOff, xOff, wOff, yOff, act, alpha, kind]; x/w/y are dx/w/dy or x/dw/dy by kind.
napi_value Conv(napi_env env, napi_callback_info info) {
  return guarded(env, "conv2d", [&]() {
    Args a = args(env, info, 2);
    Heap heap = heapOf(env, a.v[0]);
    Params p = paramsOf(env, a.v[1]);
    const int kind = static_cast<int>(p[23]);
    ConvShape s = convShape(p);
    if (kind != 0) s.bias = false, s.act = 0, s.alpha = 0;
    float* x = heap.f32(p[18], static_cast<double>(s.B * s.H * s.W * s.Ci));
    float* w = heap.f32(p[19], static_cast<double>(s.KH * s.KW * s.Ci * s.Co));
    float* y = heap.f32(p[20], static_cast<double>(s.B * s.OH * s.OW * s.Co));
    QuietCall quiet;
    ConvPlan* plan = planFor(s, kind);
    auto& eng = cpuEngine();
    auto& strm = cpuStream();
    memory src(s.src(), eng, x), dst(s.dst(), eng, y), user(s.userWeights(), eng, w);
    memory prim = user;
    if (plan->reorder) prim = memory(plan->weights, eng, weightScratch(plan->weights.get_size()));
    if (kind == 0) {
      if (plan->reorder) plan->toPrim.execute(strm, user, prim);
      std::unordered_map<int, memory> io{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, prim}, {DNNL_ARG_DST, dst}};
      if (s.bias) io.emplace(DNNL_ARG_BIAS, memory(s.biasDesc(), eng, heap.f32(p[17], static_cast<double>(s.Co))));
      plan->prim.execute(strm, io);
    } else if (kind == 1) {
      if (plan->reorder) plan->toPrim.execute(strm, user, prim);
      plan->prim.execute(strm, {{DNNL_ARG_DIFF_DST, dst}, {DNNL_ARG_WEIGHTS, prim}, {DNNL_ARG_DIFF_SRC, src}});
    } else if (kind == 2) {
      plan->prim.execute(strm, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, dst}, {DNNL_ARG_DIFF_WEIGHTS, prim}});
      if (plan->reorder) plan->fromPrim.execute(strm, prim, user);
    } else {
      throw std::invalid_argument("kind must be 0 (forward), 1 (input gradient) or 2 (filter gradient)");
    }
    strm.wait();
    return undefined(env);
  });
}

// convImpl(p): the oneDNN implementation a conv of these parameters uses (e.g. "brg:avx512_core").
napi_value ConvImpl(napi_env env, napi_callback_info info) {
  return guarded(env, "convImpl", [&]() {
    Args a = args(env, info, 1);
    Params p = paramsOf(env, a.v[0]);
    const int kind = static_cast<int>(p[23]);
    ConvShape s = convShape(p);
    if (kind != 0) s.bias = false, s.act = 0, s.alpha = 0;
    SignalBlock quiet;
    ConvPlan* plan = planFor(s, kind);
    napi_value out;
    std::string str = plan->impl + (plan->reorder ? " (+ weights reorder)" : "");
    napi_create_string_utf8(env, str.c_str(), str.size(), &out);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// adam(heap, p): one Adam step on a variable, in place on m and v, the new value into `out`
// (which may be the variable itself). p = [n, wOff, gOff, mOff, vOff, outOff, lr, beta1, beta2,
// epsilon, 1 - beta1^t, 1 - beta2^t, 1 - beta1, 1 - beta2]. Same arithmetic, in float32 and in the
// same order, as tfjs's AdamOptimizer.
napi_value Adam(napi_env env, napi_callback_info info) {
  return guarded(env, "adam", [&]() {
    Args a = args(env, info, 2);
    Heap heap = heapOf(env, a.v[0]);
    Params p = paramsOf(env, a.v[1]);
    FlushDenormals flush;
    const int64_t n = p.i(0);
    const float* w = heap.f32(p[1], static_cast<double>(n));
    const float* g = heap.f32(p[2], static_cast<double>(n));
    float* m = heap.f32(p[3], static_cast<double>(n));
    float* v = heap.f32(p[4], static_cast<double>(n));
    float* out = heap.f32(p[5], static_cast<double>(n));
    const float lr = static_cast<float>(p[6]), b1 = static_cast<float>(p[7]), b2 = static_cast<float>(p[8]);
    const float eps = static_cast<float>(p[9]), c1 = static_cast<float>(p[10]), c2 = static_cast<float>(p[11]);
    const float a1 = static_cast<float>(p[12]), a2 = static_cast<float>(p[13]);
#pragma omp simd
    for (int64_t i = 0; i < n; i++) {
      const float mi = m[i] * b1 + g[i] * a1;
      const float vi = v[i] * b2 + (g[i] * g[i]) * a2;
      m[i] = mi;
      v[i] = vi;
      out[i] = ((mi / c1) / (std::sqrt(vi / c2) + eps)) * -lr + w[i];
    }
    return undefined(env);
  });
}

// ---------------------------------------------------------------------------------------------
// Elementwise kernels and reductions: plain loops the compiler vectorises (one copy per ISA on
// x86-64 Linux, picked at load time, so one build runs on any x86-64 CPU). tfjs's wasm kernels
// call an operator per element through a function pointer; these run 5-10x faster.

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MULTIVERSION
#endif

template <int OP>
inline float binop(float a, float b) {
  if (OP == 0) return a + b;
  if (OP == 1) return a - b;
  if (OP == 2) return a * b;
  if (OP == 3) return a / b;
  const float d = a - b;  // OP == 4: squared difference
  return d * d;
}

/** One row of the grid: `sa`/`sb` say whether the operand moves along the row (1) or repeats one value (0). */
template <int OP, int SA, int SB>
MULTIVERSION void binaryRow(const float* a, const float* b, float* out, int64_t n) {
  for (int64_t j = 0; j < n; j++) out[j] = binop<OP>(a[SA ? j : 0], b[SB ? j : 0]);
}

template <int OP>
void binaryGrid(const float* a, int am, const float* b, int bm, float* out, int64_t M, int64_t N) {
  // Modes: 0 full [M, N], 1 row [N] repeated down, 2 column [M] repeated across, 3 one value.
  const bool aRow = am == 0 || am == 1, bRow = bm == 0 || bm == 1;
  for (int64_t i = 0; i < M; i++) {
    const float* ai = am == 0 ? a + i * N : am == 2 ? a + i : a;
    const float* bi = bm == 0 ? b + i * N : bm == 2 ? b + i : b;
    float* oi = out + i * N;
    if (aRow && bRow) binaryRow<OP, 1, 1>(ai, bi, oi, N);
    else if (aRow) binaryRow<OP, 1, 0>(ai, bi, oi, N);
    else if (bRow) binaryRow<OP, 0, 1>(ai, bi, oi, N);
    else binaryRow<OP, 0, 0>(ai, bi, oi, N);
  }
}

int64_t modeSize(int mode, int64_t M, int64_t N) {
  return mode == 0 ? M * N : mode == 1 ? N : mode == 2 ? M : 1;
}

// binary(heap, p): out = a op b over an M x N grid (op 0 add, 1 sub, 2 mul, 3 div, 4 squared
// difference). p = [op, M, N, aOff, aMode, bOff, bMode, outOff]; modes as binaryGrid.
napi_value Binary(napi_env env, napi_callback_info info) {
  return guarded(env, "binary", [&]() {
    Args a = args(env, info, 2);
    Heap heap = heapOf(env, a.v[0]);
    Params p = paramsOf(env, a.v[1]);
    FlushDenormals flush;
    const int op = static_cast<int>(p[0]);
    const int64_t M = p.i(1), N = p.i(2);
    const int am = static_cast<int>(p[4]), bm = static_cast<int>(p[6]);
    if (am < 0 || am > 3 || bm < 0 || bm > 3) throw std::invalid_argument("operand mode must be 0..3");
    const float* A = heap.f32(p[3], static_cast<double>(modeSize(am, M, N)));
    const float* B = heap.f32(p[5], static_cast<double>(modeSize(bm, M, N)));
    float* O = heap.f32(p[7], static_cast<double>(M * N));
    switch (op) {
      case 0: binaryGrid<0>(A, am, B, bm, O, M, N); break;
      case 1: binaryGrid<1>(A, am, B, bm, O, M, N); break;
      case 2: binaryGrid<2>(A, am, B, bm, O, M, N); break;
      case 3: binaryGrid<3>(A, am, B, bm, O, M, N); break;
      case 4: binaryGrid<4>(A, am, B, bm, O, M, N); break;
      default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
    }
    return undefined(env);
  });
}

/** tanh by the odd rational approximation of lib/backend/kernels/tanh.ts (Eigen's and XNNPACK's). */
inline float rationalTanh(float v) {
  if (v != v) return v;
  if (std::fabs(v) < 4e-4f) return v;
  if (v >= 9.f) return 1.f;
  if (v <= -9.f) return -1.f;
  const float x = v > 7.90531110763549805f ? 7.90531110763549805f : v < -7.90531110763549805f ? -7.90531110763549805f : v;
  const float x2 = x * x;
  const float p = x * ((((((-2.76076847742355e-16f * x2 + 2.00018790482477e-13f) * x2 + -8.60467152213735e-11f) * x2 +
                          5.12229709037114e-8f) * x2 + 1.48572235717979e-5f) * x2 + 6.37261928875436e-4f) * x2 + 4.89352455891786e-3f);
  const float q = ((1.19825839466702e-6f * x2 + 1.18534705686654e-4f) * x2 + 2.26843463243900e-3f) * x2 + 4.89352518554385e-3f;
  return p / q;
}

template <int OP>
MULTIVERSION void unaryLoop(const float* x, float* y, int64_t n, float alpha) {
  for (int64_t i = 0; i < n; i++) {
    const float v = x[i];
    if (OP == 0) y[i] = v < 0 ? 0.f : v;                         // relu (NaN stays NaN, as Math.max)
    if (OP == 1) y[i] = v != v ? v : (v > 0 ? 1.f : alpha);     // step
    if (OP == 2) y[i] = v * v;                                  // square
    if (OP == 3) y[i] = -v;                                     // neg
    if (OP == 4) y[i] = std::sqrt(v);                           // sqrt
    if (OP == 5) y[i] = std::exp(v);                            // exp
    if (OP == 6) y[i] = std::log(v);                            // log
    if (OP == 7) y[i] = std::fabs(v);                           // abs
    if (OP == 8) y[i] = 1.f / (1.f + std::exp(-v));             // sigmoid
    if (OP == 9) y[i] = v < 0 ? 0.f : (v > 6 ? 6.f : v);        // relu6
    if (OP == 10) y[i] = rationalTanh(v);                       // tanh
  }
}

// unary(heap, p): p = [op, n, xOff, outOff, alpha]; ops as unaryLoop.
napi_value Unary(napi_env env, napi_callback_info info) {
  return guarded(env, "unary", [&]() {
    Args a = args(env, info, 2);
    Heap heap = heapOf(env, a.v[0]);
    Params p = paramsOf(env, a.v[1]);
    FlushDenormals flush;
    const int op = static_cast<int>(p[0]);
    const int64_t n = p.i(1);
    const float* x = heap.f32(p[2], static_cast<double>(n));
    float* y = heap.f32(p[3], static_cast<double>(n));
    const float alpha = static_cast<float>(p[4]);
    switch (op) {
      case 0: unaryLoop<0>(x, y, n, alpha); break;
      case 1: unaryLoop<1>(x, y, n, alpha); break;
      case 2: unaryLoop<2>(x, y, n, alpha); break;
      case 3: unaryLoop<3>(x, y, n, alpha); break;
      case 4: unaryLoop<4>(x, y, n, alpha); break;
      case 5: unaryLoop<5>(x, y, n, alpha); break;
      case 6: unaryLoop<6>(x, y, n, alpha); break;
      case 7: unaryLoop<7>(x, y, n, alpha); break;
      case 8: unaryLoop<8>(x, y, n, alpha); break;
      case 9: unaryLoop<9>(x, y, n, alpha); break;
      case 10: unaryLoop<10>(x, y, n, alpha); break;
      default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
    }
    return undefined(env);
  });
}

MULTIVERSION void accumulateRow(double* acc, const float* x, int64_t n) {
  for (int64_t q = 0; q < n; q++) acc[q] += x[q];
}

MULTIVERSION double sumContiguous(const float* x, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += x[i];
  return s;
}

// reduce(heap, p): out[i, k] = scale * sum_r x[i, r, k] in float64 (Sum, Mean over one block of
// adjacent axes). p = [pre, red, post, xOff, outOff, scale].
napi_value Reduce(napi_env env, napi_callback_info info) {
  return guarded(env, "reduce", [&]() {
    Args a = args(env, info, 2);
    Heap heap = heapOf(env, a.v[0]);
    Params p = paramsOf(env, a.v[1]);
    FlushDenormals flush;
    const int64_t pre = p.i(0), red = p.i(1), post = p.i(2);
    const double scale = p[5];
    const float* x = heap.f32(p[3], static_cast<double>(pre * red * post));
    float* out = heap.f32(p[4], static_cast<double>(pre * post));
    if (post == 1) {
      for (int64_t i = 0; i < pre; i++) out[i] = static_cast<float>(scale * sumContiguous(x + i * red, red));
      return undefined(env);
    }
    std::vector<double> acc(static_cast<size_t>(post));
    for (int64_t i = 0; i < pre; i++) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t r = 0; r < red; r++) accumulateRow(acc.data(), x + (i * red + r) * post, post);
      for (int64_t k = 0; k < post; k++) out[i * post + k] = static_cast<float>(scale * acc[k]);
    }
    return undefined(env);
  });
}

MULTIVERSION void addInto(float* out, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; i++) out[i] += x[i];
}

// addN(heap, p): out = sum of `count` tensors of n floats, in order. p = [n, count, outOff, off0, off1, ...].
napi_value AddN(napi_env env, napi_callback_info info) {
  return guarded(env, "addN", [&]() {
    Args a = args(env, info, 2);
    Heap heap = heapOf(env, a.v[0]);
    Params p = paramsOf(env, a.v[1]);
    FlushDenormals flush;
    const int64_t n = p.i(0), count = p.i(1);
    float* out = heap.f32(p[2], static_cast<double>(n));
    if (count < 1) throw std::invalid_argument("addN needs at least one tensor");
    std::memcpy(out, heap.f32(p[3], static_cast<double>(n)), sizeof(float) * n);
    for (int64_t k = 1; k < count; k++) addInto(out, heap.f32(p[3 + k], static_cast<double>(n)), n);
    return undefined(env);
  });
}

// segmentSum(heap, p): out[s, :] = sum of x[i, :] over rows i with ids[i] == s (ids outside
// [0, segments) dropped): the gradient of an embedding lookup. p = [rows, inner, segments, xOff, idsOff, outOff].
napi_value SegmentSum(napi_env env, napi_callback_info info) {
  return guarded(env, "segmentSum", [&]() {
    Args a = args(env, info, 2);
    Heap heap = heapOf(env, a.v[0]);
    Params p = paramsOf(env, a.v[1]);
    FlushDenormals flush;
    const int64_t rows = p.i(0), inner = p.i(1), segments = p.i(2);
    const float* x = heap.f32(p[3], static_cast<double>(rows * inner));
    const int32_t* ids = reinterpret_cast<const int32_t*>(heap.f32(p[4], static_cast<double>(rows)));
    float* out = heap.f32(p[5], static_cast<double>(segments * inner));
    std::memset(out, 0, sizeof(float) * segments * inner);
    for (int64_t i = 0; i < rows; i++) {
      const int32_t s = ids[i];
      if (s < 0 || s >= segments) continue;
      addInto(out + s * inner, x + i * inner, inner);
    }
    return undefined(env);
  });
}

// ---------------------------------------------------------------------------------------------
// Threads and what we run on.

napi_value SetThreads(napi_env env, napi_callback_info info) {
  return guarded(env, "setThreads", [&]() {
    Args a = args(env, info, 1);
    int32_t n;
    if (napi_get_value_int32(env, a.v[0], &n) != napi_ok || n < 1) throw std::invalid_argument("threads must be an integer >= 1");
    omp_set_num_threads(n);
    if (n > 1) {
      // Start the worker threads now, with signals blocked (they inherit the mask) and denormals
      // flushed (their MXCSR keeps it; the calling thread sets it per call instead).
      SignalBlock signals;
#pragma omp parallel num_threads(n)
      if (omp_get_thread_num() != 0) FlushDenormals::setForThisThread();
    }
    return undefined(env);
  });
}

napi_value Info(napi_env env, napi_callback_info) {
  return guarded(env, "info", [&]() {
    const dnnl_version_t* v = dnnl_version();
    const char* isa = "unknown";
    switch (dnnl_get_effective_cpu_isa()) {
      case dnnl_cpu_isa_sse41: isa = "sse41"; break;
      case dnnl_cpu_isa_avx: isa = "avx"; break;
      case dnnl_cpu_isa_avx2: isa = "avx2"; break;
      case dnnl_cpu_isa_avx512_core: isa = "avx512_core"; break;
      case dnnl_cpu_isa_avx512_core_vnni: isa = "avx512_core_vnni"; break;
      case dnnl_cpu_isa_avx512_core_bf16: isa = "avx512_core_bf16"; break;
      case dnnl_cpu_isa_avx512_core_amx: isa = "avx512_core_amx"; break;
      default: break;
    }
    napi_value obj, s, n;
    napi_create_object(env, &obj);
    std::string ver = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
    napi_create_string_utf8(env, ver.c_str(), ver.size(), &s);
    napi_set_named_property(env, obj, "version", s);
    napi_create_string_utf8(env, isa, std::strlen(isa), &s);
    napi_set_named_property(env, obj, "isa", s);
    napi_create_int32(env, omp_get_max_threads(), &n);
    napi_set_named_property(env, obj, "threads", n);
    napi_create_int32(env, kApiVersion, &n);
    napi_set_named_property(env, obj, "api", n);
    napi_create_uint32(env, static_cast<uint32_t>(plans().size()), &n);
    napi_set_named_property(env, obj, "cachedPrimitives", n);
    return obj;
  });
}

napi_value Init(napi_env env, napi_value exports) {
  omp_set_num_threads(1);  // one thread unless MINI_JEPA_THREADS asks (lib/backend/native/addon.ts)
  const napi_property_descriptor props[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv", nullptr, Conv, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"convImpl", nullptr, ConvImpl, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adam", nullptr, Adam, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, Reduce, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addN", nullptr, AddN, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"segmentSum", nullptr, SegmentSum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
