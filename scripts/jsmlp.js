// A plain-JavaScript Float64Array MLP written only for the benchmark: the same network, loss
// and optimiser as pymodel/learn/mlp.py (tanh hidden layers, linear logits, softmax cross-entropy
// averaged over the batch, Adam with global-norm clipping), so that "numpy in Pyodide" can be
// compared with what a user would otherwise write by hand. Evaluated inside the page by
// scripts/bench/training.py; it defines globalThis.jsMlpBench.

{
// A block, not a function: its own scope for the helpers below; it runs as a classic script.
  /** xorshift32: a seeded generator, so two runs see the same data. */
  function rng(seed) {
    let s = seed >>> 0 || 1;
    return () => {
      s ^= s << 13; s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5; s >>>= 0;
      return s / 4294967296;
    };
  }

  /** Layers [{W: Float64Array(nin*nout), b: Float64Array(nout), nin, nout}]. */
  function init(sizes, rand) {
    const layers = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const nin = sizes[l], nout = sizes[l + 1];
      const W = new Float64Array(nin * nout);
      const scale = Math.sqrt(1 / nin);
      for (let i = 0; i < W.length; i++) W[i] = (rand() * 2 - 1) * scale * Math.sqrt(3);
      layers.push({ W, b: new Float64Array(nout), nin, nout,
        mW: new Float64Array(W.length), vW: new Float64Array(W.length),
        mb: new Float64Array(nout), vb: new Float64Array(nout),
        gW: new Float64Array(W.length), gb: new Float64Array(nout) });
    }
    return layers;
  }

  /** Scratch buffers for a batch size, allocated once (a hand-tuned JS MLP would). */
  function scratch(layers, batch) {
    return {
      acts: [null, ...layers.map((l) => new Float64Array(batch * l.nout))],
      deltas: [...layers.map((l) => new Float64Array(batch * l.nout))],
    };
  }

  function adam(p, g, m, v, clip, opt, c1, c2) {
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] * clip;
      m[i] = opt.b1 * m[i] + (1 - opt.b1) * gi;
      v[i] = opt.b2 * v[i] + (1 - opt.b2) * gi * gi;
      p[i] -= (opt.lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + opt.eps);
    }
  }

  /** One minibatch step: forward, softmax CE, backward, clip, Adam. Returns the loss. */
  function step(layers, x, y, batch, opt, buf) {
    const acts = buf.acts;
    acts[0] = x;
    const last = layers.length - 1;
    // forward: a[l+1] (batch x nout) = act(a[l] (batch x nin) @ W (nin x nout) + b)
    for (let l = 0; l <= last; l++) {
      const { W, b, nin, nout } = layers[l];
      const a = acts[l], z = acts[l + 1];
      for (let r = 0; r < batch; r++) {
        const zo = r * nout;
        for (let o = 0; o < nout; o++) z[zo + o] = b[o];
        for (let i = 0; i < nin; i++) {
          const ai = a[r * nin + i], wo = i * nout;
          for (let o = 0; o < nout; o++) z[zo + o] += ai * W[wo + o];
        }
        if (l < last) for (let o = 0; o < nout; o++) z[zo + o] = Math.tanh(z[zo + o]);
      }
    }
    const nout = layers[last].nout;
    const logits = acts[last + 1];
    let delta = buf.deltas[last];
    let loss = 0;
    for (let r = 0; r < batch; r++) {
      let max = -Infinity;
      for (let o = 0; o < nout; o++) max = Math.max(max, logits[r * nout + o]);
      let sum = 0;
      for (let o = 0; o < nout; o++) sum += Math.exp(logits[r * nout + o] - max);
      for (let o = 0; o < nout; o++) {
        const p = Math.exp(logits[r * nout + o] - max) / sum;
        delta[r * nout + o] = (p - (o === y[r] ? 1 : 0)) / batch;
        if (o === y[r]) loss -= Math.log(p + 1e-12) / batch;
      }
    }
    // backward: gW (nin x nout) = a^T (nin x batch) @ delta (batch x nout)
    let norm2 = 0;
    for (let l = last; l >= 0; l--) {
      const { W, gW, gb, nin, nout: no } = layers[l];
      const a = acts[l];
      gW.fill(0);
      gb.fill(0);
      for (let r = 0; r < batch; r++) {
        const dr = r * no;
        for (let o = 0; o < no; o++) gb[o] += delta[dr + o];
        for (let i = 0; i < nin; i++) {
          const ai = a[r * nin + i], wo = i * no;
          for (let o = 0; o < no; o++) gW[wo + o] += ai * delta[dr + o];
        }
      }
      for (let i = 0; i < gW.length; i++) norm2 += gW[i] * gW[i];
      for (let i = 0; i < gb.length; i++) norm2 += gb[i] * gb[i];
      if (l > 0) {
        // delta_prev (batch x nin) = (delta @ W^T) * tanh'(a)
        const prev = buf.deltas[l - 1];
        for (let r = 0; r < batch; r++) {
          const dr = r * no;
          for (let i = 0; i < nin; i++) {
            let s = 0;
            const wo = i * no;
            for (let o = 0; o < no; o++) s += delta[dr + o] * W[wo + o];
            const h = a[r * nin + i];
            prev[r * nin + i] = s * (1 - h * h);
          }
        }
        delta = prev;
      }
    }
    const clip = Math.min(1, opt.clip / (Math.sqrt(norm2) + 1e-12));
    opt.t += 1;
    const c1 = 1 - opt.b1 ** opt.t, c2 = 1 - opt.b2 ** opt.t;
    for (const layer of layers) {
      adam(layer.W, layer.gW, layer.mW, layer.vW, clip, opt, c1, c2);
      adam(layer.b, layer.gb, layer.mb, layer.vb, clip, opt, c1, c2);
    }
    return loss;
  }

  /** Steps per second of `step` for `seconds`, with a fixed pool of random data. */
  function bench({ sizes = [9, 32, 32, 3], batch = 64, seconds = 3, seed = 1 } = {}) {
    const rand = rng(seed);
    const layers = init(sizes, rand);
    const opt = { lr: 3e-3, b1: 0.9, b2: 0.999, eps: 1e-8, clip: 5, t: 0 };
    const pool = 4096;
    const X = new Float64Array(pool * sizes[0]).map(() => rand() * 2 - 1);
    const Y = new Int32Array(pool).map(() => Math.floor(rand() * 3));
    const x = new Float64Array(batch * sizes[0]);
    const y = new Int32Array(batch);
    const buf = scratch(layers, batch);
    let steps = 0, loss = 0;
    const end = performance.now() + seconds * 1000;
    const t0 = performance.now();
    while (performance.now() < end) {
      for (let r = 0; r < batch; r++) {
        const k = Math.floor(rand() * pool);
        x.set(X.subarray(k * sizes[0], (k + 1) * sizes[0]), r * sizes[0]);
        y[r] = Y[k];
      }
      loss = step(layers, x, y, batch, opt, buf);
      steps++;
    }
    return { steps, seconds: (performance.now() - t0) / 1000,
             steps_per_s: steps / ((performance.now() - t0) / 1000), loss };
  }

  globalThis.jsMlpBench = bench;
}
